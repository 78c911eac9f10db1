import { useState } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { Icon } from './Icons.tsx';

/**
 * The end of the toolbar: "End meeting for all" for moderators (asks first) and "Leave".
 */
export function ExitControls({
  isModerator,
  onEndForAll,
  onLeave,
}: {
  isModerator: boolean;
  onEndForAll: () => Promise<void>;
  onLeave: () => void;
}) {
  const { t } = useI18n();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [endError, setEndError] = useState<string | null>(null);
  return (
    <div className="toolbar__end">
      {isModerator && (
        <button
          type="button"
          className="control control--end"
          aria-label={t('meeting.endForAll')}
          onClick={() => {
            setEndError(null);
            setConfirmEnd(true);
          }}
        >
          <span className="control__icon">
            <Icon name="power" />
          </span>
          <span className="control__caption" aria-hidden="true">
            {t('toolbar.endForAll')}
          </span>
        </button>
      )}
      <button
        type="button"
        className="control control--leave"
        aria-label={t('meeting.leave')}
        onClick={onLeave}
      >
        <span className="control__icon">
          <Icon name="leave" />
        </span>
        <span className="control__caption" aria-hidden="true">
          {t('toolbar.leave')}
        </span>
      </button>
      <ConfirmDialog
        open={confirmEnd}
        title={t('meeting.end.title')}
        text={t('meeting.end.text')}
        confirmLabel={t('meeting.end.confirm')}
        cancelLabel={t('meeting.end.cancel')}
        error={endError}
        onCancel={() => {
          setConfirmEnd(false);
        }}
        onConfirm={() => {
          onEndForAll().then(
            () => {
              setConfirmEnd(false);
            },
            () => {
              setEndError(t('error.generic'));
            },
          );
        }}
      />
    </div>
  );
}
