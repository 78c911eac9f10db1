import type * as PdfJsModule from 'pdfjs-dist';
import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
// The worker is bundled by Vite and served by our server like every other asset.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

type PdfJs = typeof PdfJsModule;

let pdfjs: Promise<PdfJs> | null = null;

/** pdf.js, loaded on first use only (most meetings show no PDF). */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist').then((module) => {
    module.GlobalWorkerOptions.workerSrc = workerUrl;
    return module;
  });
  return pdfjs;
}

/**
 * Opens a PDF with pdf.js from our server (a same-origin URL, sent with the meeting's
 * cookie) or from bytes picked on this device. No font, CMap, colour-profile or wasm URL is
 * set, so pdf.js requests nothing besides the document itself: fonts a PDF does not embed
 * are drawn with the browser's own, and nothing reaches a third party.
 */
export async function openPdf(
  source: { url: string } | { data: Uint8Array },
): Promise<PDFDocumentLoadingTask> {
  const { getDocument } = await loadPdfJs();
  return getDocument({
    ...source,
    enableXfa: false,
    useSystemFonts: true,
    verbosity: 0,
  });
}
