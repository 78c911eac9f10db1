import { useState, useSyncExternalStore } from 'react';
import { ANNOTATION_COLOURS, type AnnotationColour, type AnnotationTool } from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import type { AnnotationStore } from '../../media/AnnotationStore.ts';
import { SignalingError } from '../../media/SignalingError.ts';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { apiErrorKey } from '../errorMessage.ts';
import { Icon } from '../Icons.tsx';
import { ANNOTATION_CSS_COLOURS, type Pen } from './AnnotationLayer.tsx';

/** Why a change was refused, in words that say what to do about it. */
function refusalKey(error: unknown): MessageKey {
  if (error instanceof SignalingError) {
    if (error.code === 'forbidden') return 'annotation.error.forbidden';
    if (error.code === 'payload_too_large') return 'annotation.error.full';
    if (error.code === 'conflict') return 'annotation.error.notShown';
  }
  return apiErrorKey(error);
}

/**
 * The drawing tools under the presentation page, for those who may draw: pen and
 * highlighter (pressing the active one again puts it down, so the page can be used
 * normally), the colour, undo of one's own last stroke, and for presenters and moderators
 * clearing the page. A refusal from the server is shown here, for everyone who drew.
 */
export function AnnotationTools({
  store,
  pen,
  onPen,
  mayDraw,
  mayClear,
  colour,
  onColour,
}: {
  store: AnnotationStore;
  pen: Pen | null;
  onPen: (pen: Pen | null) => void;
  mayDraw: boolean;
  mayClear: boolean;
  colour: AnnotationColour;
  onColour: (colour: AnnotationColour) => void;
}) {
  const { t } = useI18n();
  const { refused, strokes } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [confirmClear, setConfirmClear] = useState(false);
  const refusal = refused !== null && (
    <div className="banner banner--warning annotation-tools__refused" role="alert">
      <Icon name="alert" />
      <span>{t('annotation.refused', { reason: t(refusalKey(refused)) })}</span>
      <button
        type="button"
        className="icon-button icon-button--small"
        aria-label={t('annotation.dismiss')}
        onClick={() => {
          store.dismissRefusal();
        }}
      >
        <Icon name="close" />
      </button>
    </div>
  );
  if (!mayDraw) return refusal || null;

  const toggle = (tool: AnnotationTool) => {
    onPen(pen?.tool === tool ? null : { tool, colour });
  };
  const tool = (name: AnnotationTool, icon: 'pen' | 'highlighter') => (
    <button
      type="button"
      className="annotation-tools__button"
      aria-pressed={pen?.tool === name}
      aria-label={t(`annotation.${name}`)}
      title={t(`annotation.${name}`)}
      onClick={() => {
        toggle(name);
      }}
    >
      <Icon name={icon} />
    </button>
  );

  return (
    <>
      {refusal}
      <div className="annotation-tools" role="toolbar" aria-label={t('annotation.tools')}>
        {tool('pen', 'pen')}
        {tool('highlighter', 'highlighter')}
        <span className="annotation-tools__colours">
          {ANNOTATION_COLOURS.map((c) => (
            <button
              key={c}
              type="button"
              className="annotation-tools__colour"
              style={{ background: ANNOTATION_CSS_COLOURS[c] }}
              aria-pressed={colour === c}
              aria-label={t('annotation.colour', { colour: t(`annotation.colour.${c}`) })}
              title={t(`annotation.colour.${c}`)}
              onClick={() => {
                onColour(c);
                // Picking a colour takes up the pen if nothing is in hand.
                onPen({ tool: pen?.tool ?? 'pen', colour: c });
              }}
            />
          ))}
        </span>
        <button
          type="button"
          className="annotation-tools__button"
          aria-label={t('annotation.undo')}
          title={t('annotation.undo')}
          disabled={!store.canUndo()}
          onClick={() => {
            void store.undo();
          }}
        >
          <Icon name="undo" />
        </button>
        {mayClear && (
          <button
            type="button"
            className="annotation-tools__button"
            aria-label={t('annotation.clear')}
            title={t('annotation.clear')}
            disabled={strokes.length === 0}
            onClick={() => {
              setConfirmClear(true);
            }}
          >
            <Icon name="trash" />
          </button>
        )}
      </div>
      {/* Clearing takes everyone's strokes and cannot be undone: asked first. */}
      <ConfirmDialog
        open={confirmClear}
        title={t('annotation.clearTitle')}
        text={t('annotation.clearText')}
        confirmLabel={t('annotation.clear')}
        cancelLabel={t('common.cancel')}
        onCancel={() => {
          setConfirmClear(false);
        }}
        onConfirm={() => {
          setConfirmClear(false);
          void store.clear();
        }}
      />
    </>
  );
}
