/**
 * Hand-written PDFs for the presentation tests: no PDF library needed, and the content is
 * known byte for byte (a marker text to look for at rest).
 */

/** What a test PDF contains. */
export interface PdfOptions {
  /** How many pages (each says "Page n" and the marker). */
  pages: number;
  /** Text drawn on every page (and so present in the bytes). */
  marker?: string;
  /**
   * Declares standard-security encryption with a user password (whose check fails), as a
   * password-protected PDF does; the content itself stays as written.
   */
  encrypted?: boolean;
}

/**
 * A minimal valid PDF 1.4 with `pages` pages, each with a line of Helvetica text. The
 * cross-reference table has the real byte offsets, so strict readers open it too.
 */
export function makePdf(options: PdfOptions): Buffer {
  const marker = options.marker ?? 'Konvent';
  const objects: string[] = [];
  const pageIds: number[] = [];
  // 1: catalog, 2: pages, 3: font; then a page and its content stream per page.
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  for (let i = 0; i < options.pages; i += 1) {
    const pageId = 4 + i * 2;
    const contentId = pageId + 1;
    pageIds.push(pageId);
    objects[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] ` +
      `/Resources << /Font << /F1 3 0 R >> >> /Contents ${String(contentId)} 0 R >>`;
    const stream = `BT /F1 36 Tf 40 150 Td (Page ${String(i + 1)} ${marker}) Tj ET`;
    objects[contentId] = `<< /Length ${String(stream.length)} >>\nstream\n${stream}\nendstream`;
  }
  objects[2] =
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${String(id)} 0 R`).join(' ')}] ` +
    `/Count ${String(options.pages)} >>`;
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id += 1) {
    offsets[id] = Buffer.byteLength(body, 'latin1');
    body += `${String(id)} 0 obj\n${objects[id] ?? ''}\nendobj\n`;
  }
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${String(objects.length)}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id += 1)
    body += `${String(offsets[id] ?? 0).padStart(10, '0')} 00000 n \n`;
  const encrypt = options.encrypted
    ? ` /Encrypt << /Filter /Standard /V 1 /R 2 /O <${'11'.repeat(32)}> /U <${'22'.repeat(32)}> /P -4 >>` +
      ` /ID [<${'33'.repeat(16)}> <${'33'.repeat(16)}>]`
    : '';
  body += `trailer\n<< /Size ${String(objects.length)} /Root 1 0 R${encrypt} >>\nstartxref\n${String(xref)}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** The text of every page of a PDF, as pdf.js reads it (pages joined by newlines). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({
    data: new Uint8Array(bytes),
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await task.destroy();
  return pages.join('\n');
}
