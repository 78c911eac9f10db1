import type * as PdfJsModule from 'pdfjs-dist';
import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
// The worker is bundled by Vite and served by our server like every other asset.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

type PdfJs = typeof PdfJsModule;

/**
 * pdf.js's standard fonts (for PDFs that name Helvetica, Times and the like without
 * embedding them), emitted by Vite as assets of our own: file name → served URL. They are
 * fetched only when a page needs one.
 */
const STANDARD_FONTS = new Map(
  Object.entries(
    import.meta.glob<string>('../../../node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}', {
      query: '?url',
      import: 'default',
      eager: true,
    }),
  ).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1), url]),
);

/**
 * Where pdf.js gets the files it needs besides the document: standard fonts from our own
 * assets, and nothing else (no CMap or wasm file is offered, so PDFs needing them draw what
 * they can). Nothing is ever fetched from another origin.
 */
class OwnBinaryData {
  // pdf.js constructs it with its URL options, which are not used: nothing is fetched by URL.
  /** The bytes of one file pdf.js asks for (`kind` names the option it would come from). */
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const url = kind === 'standardFontDataUrl' ? STANDARD_FONTS.get(filename) : undefined;
    if (url === undefined) throw new Error(`no ${kind} file ${filename} is served`);
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${filename}: HTTP ${String(response.status)}`);
    return new Uint8Array(await response.arrayBuffer());
  }
}

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
 * cookie) or from bytes picked on this device. The worker asks this page for standard
 * fonts (`useWorkerFetch: false`), which come from our assets; no other file is fetched.
 */
export async function openPdf(
  source: { url: string } | { data: Uint8Array },
): Promise<PDFDocumentLoadingTask> {
  const { getDocument } = await loadPdfJs();
  return getDocument({
    ...source,
    BinaryDataFactory: OwnBinaryData,
    useWorkerFetch: false,
    useSystemFonts: false,
    enableXfa: false,
    verbosity: 0,
  });
}
