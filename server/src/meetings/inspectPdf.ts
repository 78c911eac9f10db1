import { AppError } from '../errors/AppError.ts';

/** What an upload may be: size in bytes and page count (see `PRESENTATION_LIMITS`). */
export interface PdfLimits {
  maxBytes: number;
  maxPages: number;
}

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

/**
 * Checks an uploaded PDF and counts its pages, or refuses it with a `bad_request` (or
 * `payload_too_large`) that says why. The bytes are opened with pdf.js (the legacy build
 * for Node, in this process, no fonts or other files fetched; pdf.js 6 has no eval path,
 * the `isEvalSupported` option of older versions is gone with it): only what
 * pdf.js can read is ever shown to the meeting. Encrypted PDFs are refused, since viewers
 * could not open them without a password we never ask for.
 */
export async function inspectPdf(bytes: Uint8Array, limits: PdfLimits): Promise<number> {
  if (bytes.byteLength > limits.maxBytes)
    throw new AppError(
      'payload_too_large',
      `The PDF is larger than ${formatMiB(limits.maxBytes)}; make it smaller and upload it again.`,
    );
  if (!Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(5, bytes.byteLength)).equals(PDF_MAGIC))
    throw new AppError('bad_request', 'This is not a PDF file.');
  // Loaded on first use only: pdf.js is large and most servers never see an upload.
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js takes ownership of (and may detach) the buffer it is given: hand it a copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    stopAtErrors: true,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    if ((await doc.getPermissions()) !== null)
      throw new AppError(
        'bad_request',
        'Encrypted PDFs cannot be shown; upload one without a password.',
      );
    if (doc.numPages > limits.maxPages)
      throw new AppError(
        'bad_request',
        `The PDF has ${String(doc.numPages)} pages; at most ${String(limits.maxPages)} can be shown.`,
      );
    if (doc.numPages < 1) throw new AppError('bad_request', 'The PDF has no pages.');
    return doc.numPages;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const name = (error as { name?: unknown } | null)?.name;
    throw new AppError(
      'bad_request',
      name === 'PasswordException'
        ? 'Encrypted PDFs cannot be shown; upload one without a password.'
        : 'The PDF cannot be read; it may be damaged.',
      { cause: error },
    );
  } finally {
    await task.destroy();
  }
}

function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${String(Math.round(mib))} MiB` : `${String(bytes)} bytes`;
}
