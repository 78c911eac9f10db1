import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { AnnotationColour } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import { openPdf } from '../../media/pdfDocument.ts';
import type { AnnotationStore } from '../../media/AnnotationStore.ts';
import type { PresentationStore } from '../../media/PresentationStore.ts';
import { apiErrorKey } from '../errorMessage.ts';
import { Icon } from '../Icons.tsx';
import { AnnotationLayer, type Pen } from './AnnotationLayer.tsx';
import { AnnotationTools } from './AnnotationTools.tsx';

/**
 * The presentation everyone sees (issue 6, item 4): the current page drawn on a canvas,
 * large on the stage like a shared screen. Presenters and moderators turn pages for all
 * (Previous/Next buttons, or the arrow keys while the stage has focus) and close it;
 * everyone else follows. `data-page` says which page the canvas shows once it is drawn.
 * Over the page lie its annotations; who may draw on the whiteboard gets the tools.
 */
export function PresentationStage({
  store,
  annotations,
  canPresent,
  mayDraw,
  selfId,
  onError,
}: {
  store: PresentationStore;
  annotations: AnnotationStore;
  canPresent: boolean;
  /** Whether I may annotate (the whiteboard's right; the server checks again). */
  mayDraw: boolean;
  selfId: string;
  onError: (message: string) => void;
}) {
  const { t } = useI18n();
  const { shown } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<{ id: string; pdf: PDFDocumentProxy } | null>(null);
  const [drawn, setDrawn] = useState<{ id: string; page: number } | null>(null);
  const [failed, setFailed] = useState(false);
  const pageRef = useRef<HTMLDivElement>(null);
  /** The stage's size; the page is drawn again (sharp) when it changes. */
  const [area, setArea] = useState('');
  const [pen, setPen] = useState<Pen | null>(null);
  const [colour, setColour] = useState<AnnotationColour>('red');
  const id = shown?.id ?? null;
  const page = shown?.page ?? 0;

  useEffect(() => {
    if (id === null) return;
    let cancelled = false;
    let destroy: (() => Promise<void>) | null = null;
    setFailed(false);
    openPdf({ url: store.documentUrl(id) })
      .then(async (task) => {
        destroy = () => task.destroy();
        const pdf = await task.promise;
        if (!cancelled) setDoc({ id, pdf });
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      setDoc(null);
      void destroy?.();
    };
  }, [id, store]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (doc === null || canvas === null || page < 1) return;
    // Asked through a function: the flag changes while the drawing awaits.
    const run = { cancelled: false };
    const live = () => !run.cancelled;
    let cancelRender: (() => void) | null = null;
    (async () => {
      const pdfPage = await doc.pdf.getPage(page);
      if (!live()) return;
      // Drawn at the canvas's size on screen (and the display's pixel density), page fitted.
      const base = pdfPage.getViewport({ scale: 1 });
      const box = canvas.parentElement?.getBoundingClientRect();
      const fit = Math.min(
        (box?.width ?? base.width) / base.width,
        (box?.height ?? base.height) / base.height,
      );
      const scale = Math.max(0.25, fit) * (window.devicePixelRatio || 1);
      const viewport = pdfPage.getViewport({ scale });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      const task = pdfPage.render({ canvas, viewport, background: '#ffffff' });
      cancelRender = () => {
        task.cancel();
      };
      await task.promise;
      if (live()) setDrawn({ id: doc.id, page });
    })().catch((error: unknown) => {
      if (live() && (error as { name?: string } | null)?.name !== 'RenderingCancelledException')
        setFailed(true);
    });
    return () => {
      run.cancelled = true;
      cancelRender?.();
    };
  }, [doc, page, area]);

  useEffect(() => {
    const box = pageRef.current;
    if (id === null || box === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      // Drawn again once the size settles (a panel opened, the window resized), not per frame.
      timer = setTimeout(() => {
        setArea(`${String(box.clientWidth)}x${String(box.clientHeight)}`);
      }, 150);
    });
    observer.observe(box);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [id]);

  if (shown === null) return null;

  const turn = (to: number) => {
    if (to < 1 || to > shown.pages || to === shown.page) return;
    store.show(shown.id, to).catch((error: unknown) => {
      onError(t(apiErrorKey(error)));
    });
  };
  const close = () => {
    store.close().catch((error: unknown) => {
      onError(t(apiErrorKey(error)));
    });
  };
  const position = t('presentation.pageOf', {
    page: String(shown.page),
    pages: String(shown.pages),
  });
  const ready = drawn?.id === shown.id && drawn.page === shown.page;

  return (
    <section
      className="presentation"
      aria-label={t('presentation.stage', { name: shown.name })}
      data-presentation={shown.id}
      data-page={ready ? String(shown.page) : undefined}
      tabIndex={canPresent ? 0 : undefined}
      onKeyDown={
        canPresent
          ? (event) => {
              if (event.target !== event.currentTarget) return;
              if (event.key === 'ArrowRight' || event.key === 'PageDown') turn(shown.page + 1);
              else if (event.key === 'ArrowLeft' || event.key === 'PageUp') turn(shown.page - 1);
              else return;
              event.preventDefault();
            }
          : undefined
      }
    >
      <div ref={pageRef} className="presentation__page">
        <canvas ref={canvasRef} className="presentation__canvas" aria-hidden="true" />
        {ready && (
          <AnnotationLayer
            store={annotations}
            canvasRef={canvasRef}
            pen={mayDraw ? pen : null}
            idPrefix={selfId}
          />
        )}
        {failed && (
          <p className="presentation__error" role="alert">
            {t('presentation.loadError')}
          </p>
        )}
      </div>
      <AnnotationTools
        store={annotations}
        pen={pen}
        onPen={setPen}
        mayDraw={mayDraw}
        mayClear={canPresent}
        colour={colour}
        onColour={setColour}
      />
      <div className="presentation__bar">
        <span className="presentation__name">{shown.name}</span>
        {canPresent && (
          <button
            type="button"
            className="presentation__button"
            onClick={() => {
              turn(shown.page - 1);
            }}
            disabled={shown.page <= 1}
          >
            {t('presentation.previous')}
          </button>
        )}
        <span className="presentation__position" aria-live="polite">
          {position}
        </span>
        {canPresent && (
          <>
            <button
              type="button"
              className="presentation__button"
              onClick={() => {
                turn(shown.page + 1);
              }}
              disabled={shown.page >= shown.pages}
            >
              {t('presentation.next')}
            </button>
            <button
              type="button"
              className="presentation__button"
              aria-label={t('presentation.closeLabel')}
              onClick={close}
            >
              <Icon name="close" />
            </button>
          </>
        )}
      </div>
    </section>
  );
}
