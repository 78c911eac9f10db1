import { useId } from 'react';
import { PLATFORM_ROLES, type PlatformRole } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';

/** The platform roles as checkboxes, each with a line on what it allows. */
export function RoleCheckboxes({
  value,
  onChange,
  error,
}: {
  value: readonly PlatformRole[];
  onChange: (roles: PlatformRole[]) => void;
  error?: string | null;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <fieldset className="role-boxes" aria-describedby={error ? `${id}-error` : `${id}-hint`}>
      <legend className="field-label">{t('admin.roles.legend')}</legend>
      <p id={`${id}-hint`} className="field-hint">
        {t('admin.roles.mfaNote')}
      </p>
      {PLATFORM_ROLES.map((role) => (
        <label key={role} className="checkbox role-boxes__item">
          <input
            type="checkbox"
            checked={value.includes(role)}
            aria-describedby={`${id}-${role}`}
            onChange={(event) => {
              const rest = value.filter((held) => held !== role);
              // Kept in the catalogue's order, so the same set always reads the same.
              const next = event.target.checked ? [...rest, role] : rest;
              onChange(PLATFORM_ROLES.filter((known) => next.includes(known)));
            }}
          />
          <span>
            <span className="role-boxes__name">{t(`role.${role}`)}</span>
            <span id={`${id}-${role}`} className="role-boxes__hint">
              {t(`role.${role}.hint`)}
            </span>
          </span>
        </label>
      ))}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
