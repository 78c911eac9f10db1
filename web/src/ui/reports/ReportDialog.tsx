import type { Participant, ReportReason } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { Dialog } from '../Dialog.tsx';
import { ReportForm } from './ReportForm.tsx';

/**
 * Reporting another participant to the meeting's moderators: a reason (required) and an
 * optional description of up to 500 characters. `target` null closes the dialog.
 */
export function ReportDialog({
  target,
  onSubmit,
  onClose,
}: {
  target: Participant | null;
  onSubmit: (target: Participant, reason: ReportReason, text: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <Dialog
      open={target !== null}
      title={t('reports.dialog.title', { name: target?.displayName ?? '' })}
      onClose={onClose}
    >
      {target !== null && <ReportForm target={target} onSubmit={onSubmit} onCancel={onClose} />}
    </Dialog>
  );
}
