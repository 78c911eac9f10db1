import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, SubmitEvent } from 'react';
import type { ChatMessage, Participant } from '@konvent/protocol';
import { MAX_CHAT_TEXT } from '@konvent/protocol';
import { useI18n } from '../i18n/I18n.tsx';
import { SignalingError } from '../media/SignalingError.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { Icon } from './Icons.tsx';

/**
 * The chat: a live log of messages (private ones visibly marked) and a composer that sends
 * to everyone or privately to one person. A moderator's chat lock (`locked`) disables the
 * composer for that kind of message, with the reason shown; the server refuses it anyway.
 * With `onDelete` (moderators), each message has a delete button behind a confirmation. A
 * send refused by the rate limit says so and keeps the typed text.
 */
export function ChatPanel({
  self,
  others,
  messages,
  onSend,
  onDelete,
  locked = { public: false, private: false },
}: {
  self: Participant;
  others: readonly Participant[];
  messages: readonly ChatMessage[];
  onSend: (text: string, to?: string) => Promise<void>;
  /** Moderators only: deletes a message for everyone who can see it. */
  onDelete?: (messageId: string) => Promise<void>;
  locked?: { public: boolean; private: boolean };
}) {
  const { t, lang } = useI18n();
  const ids = useId();
  const [text, setText] = useState('');
  const [to, setTo] = useState('');
  const [failed, setFailed] = useState<'failed' | 'rateLimited' | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [deleteFailed, setDeleteFailed] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [sending, setSending] = useState(false);
  const logRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  // A recipient who left can no longer be written to; fall back to everyone.
  const recipient = others.some((p) => p.id === to) ? to : '';
  const isLocked = recipient ? locked.private : locked.public;
  const time = useMemo(
    () => new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }),
    [lang],
  );

  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && stickToBottom.current) log.scrollTop = log.scrollHeight;
  }, [messages.length]);

  // The message being confirmed; if it vanished meanwhile (another moderator), the dialog closes.
  const toDelete = messages.find((m) => m.id === deleting);

  const confirmDelete = async () => {
    if (!toDelete || !onDelete) return;
    setDeleteFailed(false);
    try {
      await onDelete(toDelete.id);
    } catch (error) {
      // Deleted by someone else first: it is gone either way.
      if (!(error instanceof SignalingError && error.code === 'not_found')) {
        setDeleteFailed(true);
        return;
      }
    }
    setDeleting(null);
    setAnnouncement(t('chat.deleted'));
    logRef.current?.focus();
  };

  const nameOf = (id: string | undefined): string =>
    others.find((p) => p.id === id)?.displayName ?? t('chat.unknownPerson');

  const send = async (event?: SubmitEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || sending || isLocked) return;
    setSending(true);
    setFailed(null);
    try {
      await (recipient ? onSend(message, recipient) : onSend(message));
      setText('');
      stickToBottom.current = true;
    } catch (error) {
      // The text stays in the composer either way, so nothing typed is lost.
      const limited = error instanceof SignalingError && error.code === 'rate_limited';
      setFailed(limited ? 'rateLimited' : 'failed');
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <div className="side-panel__body chat">
      <div
        ref={logRef}
        className="chat__log"
        role="log"
        aria-label={t('chat.log')}
        // Keyboard users must be able to scroll the history.
        tabIndex={0}
        onScroll={(event) => {
          const log = event.currentTarget;
          stickToBottom.current = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
        }}
      >
        {messages.length === 0 && <p className="chat__empty">{t('chat.empty')}</p>}
        {messages.map((message) => {
          const mine = message.senderId === self.id;
          const isPrivate = message.to !== undefined;
          return (
            <article
              key={message.id}
              className={`msg${mine ? ' msg--mine' : ''}${isPrivate ? ' msg--private' : ''}`}
            >
              <header className="msg__header">
                <span className="msg__sender">
                  {mine ? t('meeting.you', { name: message.senderName }) : message.senderName}
                </span>
                <time className="msg__time" dateTime={message.sentAt}>
                  {time.format(new Date(message.sentAt))}
                </time>
                {onDelete && (
                  <button
                    type="button"
                    className="icon-button icon-button--small msg__delete"
                    aria-label={t('chat.deleteLabel', { name: message.senderName })}
                    title={t('chat.delete')}
                    onClick={() => {
                      setDeleteFailed(false);
                      setDeleting(message.id);
                    }}
                  >
                    <Icon name="trash" />
                  </button>
                )}
              </header>
              {isPrivate && (
                <p className="msg__private">
                  <Icon name="lock" />
                  {mine ? t('chat.privateTo', { name: nameOf(message.to) }) : t('chat.privateFrom')}
                </p>
              )}
              <p className="msg__text">{message.text}</p>
            </article>
          );
        })}
      </div>
      <form
        className="chat__composer"
        onSubmit={(event) => {
          void send(event);
        }}
      >
        <div className="chat__recipient">
          <label htmlFor={`${ids}-to`} className="field-label field-label--small">
            {t('chat.recipient')}
          </label>
          <select
            id={`${ids}-to`}
            className="select"
            value={recipient}
            onChange={(event) => {
              setTo(event.target.value);
            }}
          >
            <option value="">{t('chat.everyone')}</option>
            {others.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </div>
        <label htmlFor={`${ids}-text`} className="field-label field-label--small">
          {t('chat.message')}
        </label>
        <div className={`chat__input-row${recipient ? ' chat__input-row--private' : ''}`}>
          <textarea
            id={`${ids}-text`}
            className="input chat__input"
            rows={2}
            value={text}
            maxLength={MAX_CHAT_TEXT}
            disabled={isLocked}
            aria-describedby={isLocked ? `${ids}-locked` : `${ids}-hint`}
            onChange={(event) => {
              setText(event.target.value);
            }}
            onKeyDown={onKeyDown}
          />
          <button
            type="submit"
            className="button button--primary chat__send"
            aria-label={t('chat.send')}
            disabled={isLocked}
          >
            <Icon name="send" />
            <span className="chat__send-text">{t('chat.send')}</span>
          </button>
        </div>
        <p id={`${ids}-hint`} className="field-hint field-hint--small">
          {t('chat.hint')}
        </p>
        {isLocked && (
          <p id={`${ids}-locked`} className="notice notice--info" role="status">
            <Icon name="lock" />
            {t(recipient ? 'locks.privateLocked' : 'locks.chatLocked')}
          </p>
        )}
        {failed && (
          <p className="notice notice--error" role="alert">
            <Icon name="alert" />
            {t(failed === 'rateLimited' ? 'chat.rateLimited' : 'chat.sendFailed')}
          </p>
        )}
      </form>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {onDelete && (
        <ConfirmDialog
          open={toDelete !== undefined}
          title={t('chat.deleteTitle')}
          text={t('chat.deleteText', { name: toDelete?.senderName ?? '' })}
          confirmLabel={t('chat.deleteConfirm')}
          cancelLabel={t('common.cancel')}
          error={deleteFailed ? t('chat.deleteFailed') : null}
          onConfirm={() => {
            void confirmDelete();
          }}
          onCancel={() => {
            setDeleting(null);
          }}
        />
      )}
    </div>
  );
}
