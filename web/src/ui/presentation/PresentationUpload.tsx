import { useState } from 'react';
import { MAX_PRESENTATION_NAME, PRESENTATION_LIMITS } from '@konvent/protocol';
import { ApiError } from '../../api/ApiError.ts';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { openPdf } from '../../media/pdfDocument.ts';
import type { PresentationStore } from '../../media/PresentationStore.ts';
import { apiErrorKey } from '../errorMessage.ts';
import { UploadButton } from '../UploadButton.tsx';

const MIB = 1024 * 1024;

/**
 * The toolbar's "Upload presentation" control for presenters and moderators: picks a PDF,
 * checks type, size and page count here first (so the error is clear and nothing large is
 * sent in vain), uploads it and shows its first page to everyone. The server checks again.
 */
export function PresentationUpload({ store }: { store: PresentationStore }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fail = (key: MessageKey, values?: Record<string, string>) => {
    setError(t(key, values));
  };

  const upload = async (file: File) => {
    setError(null);
    const isPdf = file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf');
    if (!isPdf) {
      fail('presentation.error.type');
      return;
    }
    const maxMiB = String(PRESENTATION_LIMITS.maxBytes / MIB);
    if (file.size > PRESENTATION_LIMITS.maxBytes) {
      fail('presentation.error.size', { max: maxMiB });
      return;
    }
    setBusy(true);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let pages: number;
      try {
        const task = await openPdf({ data: bytes.slice() });
        pages = (await task.promise).numPages;
        await task.destroy();
      } catch (cause) {
        const name = (cause as { name?: string } | null)?.name;
        fail(
          name === 'PasswordException'
            ? 'presentation.error.encrypted'
            : 'presentation.error.unreadable',
        );
        return;
      }
      if (pages > PRESENTATION_LIMITS.maxPages) {
        fail('presentation.error.pages', {
          pages: String(pages),
          max: String(PRESENTATION_LIMITS.maxPages),
        });
        return;
      }
      const uploaded = await store.upload(
        new Blob([bytes], { type: 'application/pdf' }),
        // The server keeps at most this much of a name; a longer one is cut here already.
        file.name.slice(0, MAX_PRESENTATION_NAME),
      );
      await store.show(uploaded.id, 1);
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'payload_too_large')
        fail('presentation.error.size', { max: maxMiB });
      else if (cause instanceof ApiError && cause.code === 'bad_request')
        fail('presentation.error.refused', { max: String(PRESENTATION_LIMITS.maxPages) });
      else if (cause instanceof ApiError && cause.code === 'conflict')
        fail('presentation.error.full', { max: String(PRESENTATION_LIMITS.perMeeting) });
      else if (cause instanceof ApiError && cause.code === 'forbidden')
        fail('presentation.error.forbidden');
      else if (cause instanceof ApiError && cause.code === 'upload_refused')
        fail('apiError.upload_refused');
      else fail('presentation.error.failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <UploadButton
      icon="present"
      label={t('presentation.uploadLabel')}
      caption={busy ? t('presentation.uploading') : t('presentation.upload')}
      accept="application/pdf,.pdf"
      input="data-presentation-input"
      busy={busy}
      error={error}
      library={{
        heading: t('presentation.again'),
        newLabel: t('presentation.new'),
        load: async () =>
          (await store.list()).map((presentation) => ({
            id: presentation.id,
            name: presentation.name,
            detail: t('presentation.pages', { pages: String(presentation.pages) }),
          })),
        onPick: (id) => {
          setError(null);
          store.show(id, 1).catch((cause: unknown) => {
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
