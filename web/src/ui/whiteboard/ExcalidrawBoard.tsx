import '@excalidraw/excalidraw/index.css';
import { CaptureUpdateAction, Excalidraw, reconcileElements } from '@excalidraw/excalidraw';
import type {
  OrderedExcalidrawElement,
  ExcalidrawElement,
} from '@excalidraw/excalidraw/element/types';
import type { RemoteExcalidrawElement } from '@excalidraw/excalidraw/data/reconcile';
import type { ExcalidrawImperativeAPI } from '@excalidraw/excalidraw/types';
import type { WhiteboardElement } from '@konvent/protocol';
import { useEffect, useMemo, useState } from 'react';
import type { WhiteboardSync } from '../../media/WhiteboardSync.ts';

/** What tests may read and do on an open board (the same as devtools could). */
interface BoardProbe {
  /** The scene's elements that are not deleted: type and id. */
  shapes: () => { id: string; type: string }[];
  /** Sends elements as the board's own changes would be sent. */
  send: (elements: WhiteboardElement[]) => void;
}

declare global {
  interface Window {
    __kvBoard?: BoardProbe;
  }
}

/**
 * The drawing surface: Excalidraw (loaded only when a board opens, with its fonts from this
 * server), fed from and feeding the meeting's {@link WhiteboardSync}. Without the right to
 * draw it is in Excalidraw's view mode; the server refuses changes anyway.
 */
export default function ExcalidrawBoard({
  sync,
  mayDraw,
  lang,
}: {
  sync: WhiteboardSync;
  mayDraw: boolean;
  lang: string;
}) {
  const [api, setApi] = useState<ExcalidrawImperativeAPI | null>(null);
  const [count, setCount] = useState(0);
  const initialData = useMemo(
    () => ({
      elements: sync.elements() as unknown as ExcalidrawElement[],
      scrollToContent: true,
    }),
    [sync],
  );

  useEffect(() => {
    if (!api) return;
    const merge = (remote: readonly WhiteboardElement[]) => {
      const elements = reconcileElements(
        api.getSceneElementsIncludingDeleted(),
        remote as unknown as RemoteExcalidrawElement[],
        api.getAppState(),
      );
      api.updateScene({ elements, captureUpdate: CaptureUpdateAction.NEVER });
    };
    // Whatever arrived while Excalidraw was starting.
    merge(sync.elements());
    const offRemote = sync.on('remote', merge);
    const offRevert = sync.on('revert', (reverted) => {
      const byId = new Map(reverted.map(({ id, element }) => [id, element]));
      const elements = api.getSceneElementsIncludingDeleted().flatMap((e) => {
        if (!byId.has(e.id)) return [e];
        const kept = byId.get(e.id);
        return kept === undefined ? [] : [kept as unknown as OrderedExcalidrawElement];
      });
      api.updateScene({ elements, captureUpdate: CaptureUpdateAction.NEVER });
    });
    window.__kvBoard = {
      shapes: () => api.getSceneElements().map((e) => ({ id: e.id, type: e.type })),
      send: (elements) => {
        sync.local(elements);
      },
    };
    return () => {
      offRemote();
      offRevert();
      delete window.__kvBoard;
    };
  }, [api, sync]);

  const onChange = (elements: readonly OrderedExcalidrawElement[]) => {
    setCount(elements.filter((e) => !e.isDeleted).length);
    if (mayDraw) sync.local(elements);
  };

  return (
    <div className="whiteboard__canvas" data-shapes={count}>
      <Excalidraw
        excalidrawAPI={setApi}
        initialData={initialData}
        viewModeEnabled={!mayDraw}
        langCode={lang === 'de' ? 'de-DE' : 'en'}
        onChange={onChange}
        UIOptions={{
          canvasActions: { loadScene: false, saveToActiveFile: false, clearCanvas: mayDraw },
          // Images would need a file store the board does not have.
          tools: { image: false },
        }}
      />
    </div>
  );
}
