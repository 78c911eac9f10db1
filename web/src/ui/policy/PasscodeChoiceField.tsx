import { useId } from 'react';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Field } from '../Field.tsx';
import { PASSCODE_MAX } from './policyRules.ts';
import type { PasscodeChoice } from './policyRules.ts';
import { RadioOption } from './RadioOption.tsx';

interface Option {
  choice: PasscodeChoice;
  label: MessageKey;
  text?: MessageKey;
  recommended?: boolean;
}

/** The options on offer: when creating, when editing a meeting with and without a passcode. */
function optionsFor(editing: boolean, hasPasscode: boolean): Option[] {
  if (!editing) {
    return [
      {
        choice: 'generate',
        label: 'policy.passcode.generate',
        text: 'policy.passcode.generateText',
        recommended: true,
      },
      { choice: 'own', label: 'policy.passcode.own' },
      { choice: 'none', label: 'policy.passcode.none', text: 'policy.passcode.noneText' },
    ];
  }
  if (!hasPasscode) {
    return [
      { choice: 'keep', label: 'policy.passcode.keepNone' },
      {
        choice: 'generate',
        label: 'policy.passcode.generate',
        text: 'policy.passcode.generateText',
        recommended: true,
      },
      { choice: 'own', label: 'policy.passcode.own' },
    ];
  }
  return [
    { choice: 'keep', label: 'policy.passcode.keep' },
    {
      choice: 'generate',
      label: 'policy.passcode.generateNew',
      text: 'policy.passcode.replaceText',
    },
    { choice: 'own', label: 'policy.passcode.ownNew', text: 'policy.passcode.replaceText' },
    { choice: 'none', label: 'policy.passcode.remove', text: 'policy.passcode.noneText' },
  ];
}

/**
 * The meeting passcode: keep it, have one generated, set one's own (a field appears under
 * that option) or have none. What is offered depends on whether the meeting has one.
 */
export function PasscodeChoiceField({
  editing,
  hasPasscode,
  value,
  own,
  ownError,
  onChange,
  onOwnChange,
}: {
  editing: boolean;
  hasPasscode: boolean;
  value: PasscodeChoice;
  own: string;
  ownError: MessageKey | undefined;
  onChange: (value: PasscodeChoice) => void;
  onOwnChange: (value: string) => void;
}) {
  const { t } = useI18n();
  const name = useId();
  return (
    <fieldset className="policy-group">
      <legend className="policy-group__legend">{t('policy.passcode.legend')}</legend>
      <p className="field-hint policy-group__hint">{t('policy.passcode.hint')}</p>
      {optionsFor(editing, hasPasscode).map((option) => (
        <RadioOption
          key={option.choice}
          name={name}
          value={option.choice}
          checked={value === option.choice}
          label={t(option.label)}
          {...(option.text === undefined ? {} : { description: t(option.text) })}
          tag={option.recommended === true ? t('policy.recommended') : undefined}
          onSelect={() => {
            onChange(option.choice);
          }}
        >
          {option.choice === 'own' && value === 'own' ? (
            <Field
              label={t('policy.passcode.ownLabel')}
              hint={t('policy.passcode.ownHint')}
              value={own}
              onChange={onOwnChange}
              error={ownError === undefined ? null : t(ownError)}
              type="text"
              autoComplete="off"
              spellCheck={false}
              maxLength={PASSCODE_MAX}
            />
          ) : undefined}
        </RadioOption>
      ))}
    </fieldset>
  );
}
