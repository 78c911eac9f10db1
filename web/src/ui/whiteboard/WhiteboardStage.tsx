import { Component, lazy, Suspense, useSyncExternalStore, type ReactNode } from 'react';
import { useI18n } from '../../i18n/I18n.tsx';
import type { WhiteboardSync } from '../../media/WhiteboardSync.ts';
import { apiErrorKey } from '../errorMessage.ts';
import { Icon } from '../Icons.tsx';
import '../../styles/whiteboard.css';

/** Where Excalidraw finds its fonts: copied into the build by vite.config.ts, never a CDN. */
const ASSET_PATH = '/excalidraw/';

declare global {
  interface Window {
    EXCALIDRAW_ASSET_PATH?: string | string[];
  }
}

// Excalidraw is large: the meeting page loads it only when someone opens the board.
const ExcalidrawBoard = lazy(() => {
  window.EXCALIDRAW_ASSET_PATH = ASSET_PATH;
  return import('./ExcalidrawBoard.tsx');
});

/** Shows a fallback instead of the board when its code failed to load. */
class LoadBoundary extends Component<{ fallback: ReactNode; children: ReactNode }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/**
 * The whiteboard on the stage: a note for people who may only look, the server's refusal
 * of a change (why it was not accepted), and the lazily loaded drawing surface.
 */
export function WhiteboardStage({
  sync,
  mayDraw,
  onClose,
}: {
  sync: WhiteboardSync;
  mayDraw: boolean;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const state = useSyncExternalStore(sync.subscribe, sync.getSnapshot);
  return (
    <section className="whiteboard" aria-label={t('board.title')}>
      <div className="whiteboard__bar">
        <h2 className="whiteboard__title">{t('board.title')}</h2>
        {!mayDraw && (
          <p className="whiteboard__note" role="status">
            <Icon name="info" />
            {t('board.viewOnly')}
          </p>
        )}
        <button
          type="button"
          className="icon-button icon-button--small"
          aria-label={t('board.close')}
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </div>
      {state.refused !== null && (
        <div className="banner banner--warning whiteboard__refused" role="alert">
          <Icon name="alert" />
          <span>{t('board.refused', { reason: t(apiErrorKey(state.refused)) })}</span>
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label={t('board.dismiss')}
            onClick={() => {
              sync.dismissRefusal();
            }}
          >
            <Icon name="close" />
          </button>
        </div>
      )}
      <LoadBoundary fallback={<p className="whiteboard__status">{t('board.loadError')}</p>}>
        <Suspense fallback={<p className="whiteboard__status">{t('board.loading')}</p>}>
          <ExcalidrawBoard sync={sync} mayDraw={mayDraw} lang={lang} />
        </Suspense>
      </LoadBoundary>
    </section>
  );
}
