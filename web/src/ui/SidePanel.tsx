import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import { Icon } from './Icons.tsx';

/** The light side panel next to the stage (full screen on phones), with a close button. */
export function SidePanel({
  id,
  title,
  onClose,
  children,
}: {
  id: string;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <aside
      id={id}
      className="side-panel"
      aria-labelledby={`${id}-title`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="side-panel__header">
        <h2 id={`${id}-title`} className="side-panel__title">
          {title}
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label={t('meeting.closePanel')}
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </div>
      {children}
    </aside>
  );
}
