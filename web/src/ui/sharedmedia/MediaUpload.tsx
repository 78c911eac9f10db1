import { useState } from 'react';
import { MAX_PRESENTATION_NAME, SHARED_MEDIA_LIMITS } from '@konvent/protocol';
import { ApiError } from '../../api/ApiError.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import type { MediaStore } from '../../media/MediaStore.ts';
import { apiErrorKey } from '../errorMessage.ts';
import { UploadButton } from '../UploadButton.tsx';
import { clock } from './clock.ts';

const MIB = 1024 * 1024;

/**
 * The toolbar's "Play video" control for presenters and moderators: picks an audio or video
 * file, checks type and size here first (so nothing large is sent in vain), uploads it and
 * shows it to everyone, paused at the start. The server checks container and codecs.
 */
export function MediaUpload({ store }: { store: MediaStore }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fail = (key: MessageKey, values?: Record<string, string>) => {
    setError(t(key, values));
  };

  const upload = async (file: File) => {
    setError(null);
    // Browsers leave the type empty for files they do not know; the server decides then.
    if (file.type !== '' && !/^(audio|video)\//.test(file.type)) {
      fail('media.error.type');
      return;
    }
    const maxMiB = String(SHARED_MEDIA_LIMITS.maxBytes / MIB);
    if (file.size > SHARED_MEDIA_LIMITS.maxBytes) {
      fail('media.error.size', { max: maxMiB });
      return;
    }
    setBusy(true);
    try {
      const media = await store.upload(file, file.name.slice(0, MAX_PRESENTATION_NAME));
      await store.show(media.id);
    } catch (cause) {
      const code = cause instanceof ApiError ? cause.code : 'internal';
      if (code === 'payload_too_large') fail('media.error.size', { max: maxMiB });
      else if (code === 'bad_request' && cause instanceof ApiError)
        fail('media.error.refused', { reason: cause.message });
      else if (code === 'conflict')
        fail('media.error.full', { max: String(SHARED_MEDIA_LIMITS.perMeeting) });
      else if (code === 'forbidden') fail('media.error.forbidden');
      else if (code === 'upload_refused') fail('apiError.upload_refused');
      else if (code === 'rate_limited') fail('media.error.busy');
      else fail('media.error.failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <UploadButton
      icon="film"
      label={t('media.uploadLabel')}
      caption={busy ? t('media.uploading') : t('media.upload')}
      accept="audio/*,video/*,.webm,.mp4,.m4a,.ogg,.opus,.mp3,.wav,.flac"
      input="data-media-input"
      busy={busy}
      error={error}
      library={{
        heading: t('media.again'),
        newLabel: t('media.new'),
        load: async () =>
          (await store.list()).map((media) => ({
            id: media.id,
            name: media.name,
            detail: clock(media.duration),
          })),
        onPick: (id) => {
          setError(null);
          store.show(id).catch((cause: unknown) => {
            setError(t(apiErrorKey(cause)));
          });
        },
      }}
      onFile={(file) => {
        void upload(file);
      }}
      onDismiss={() => {
        setError(null);
      }}
    />
  );
}
