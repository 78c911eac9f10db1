/**
 * Renders minutes for download: Markdown, and PDF with pdfkit in a Unicode TrueType font
 * (DejaVu Sans from Debian's `fonts-dejavu-core`), so names and notes in any European
 * script come out as written.
 */
import { existsSync } from 'node:fs';
import type { MinutesItem } from '@konvent/protocol';
import PDFDocument from 'pdfkit';
import { AppError } from '../errors/AppError.ts';

/** The font the PDF is set in (`fonts-dejavu-core`); overridable for tests. */
export const PDF_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const PDF_FONT_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

/** What an export shows. */
export interface MinutesDocument {
  title: string;
  /** ISO time the meeting started (or was created). */
  date: string;
  participants: number;
  notes: string;
  items: MinutesItem[];
}

/** A safe download name: `minutes-<title as ascii slug>-<yyyy-mm-dd>.<ext>`. */
export function exportFilename(title: string, date: string, ext: 'md' | 'pdf'): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `minutes-${slug === '' ? 'meeting' : slug}-${date.slice(0, 10)}.${ext}`;
}

/** One table cell: no line breaks, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function roomNote(item: MinutesItem): string {
  return item.room === undefined ? '' : ` (${item.room})`;
}

/** The minutes as Markdown. */
export function toMarkdown(doc: MinutesDocument): string {
  const lines = [
    `# Minutes: ${doc.title.replace(/\n/g, ' ')}`,
    '',
    `- Date: ${doc.date.slice(0, 10)}`,
    `- Participants: ${String(doc.participants)}`,
    '',
    '## Decisions',
    '',
  ];
  const decisions = doc.items.filter((item) => item.kind === 'decision');
  if (decisions.length === 0) lines.push('None recorded.');
  for (const item of decisions) lines.push(`- ${cell(item.text)}${roomNote(item)}`);
  lines.push('', '## Action items', '');
  const actions = doc.items.filter((item) => item.kind === 'action');
  if (actions.length === 0) lines.push('None recorded.');
  else {
    lines.push('| Owner | Due | Action | Done |', '| --- | --- | --- | --- |');
    for (const item of actions) {
      lines.push(
        `| ${cell(item.owner ?? '')} | ${item.due ?? ''} | ${cell(item.text)}${cell(roomNote(item))} | ${item.done ? 'yes' : 'no'} |`,
      );
    }
  }
  lines.push('', '## Notes', '', doc.notes.trim() === '' ? 'No notes.' : doc.notes.trim(), '');
  return lines.join('\n');
}

/** The minutes as a PDF; `unavailable` if the font is not installed. */
export async function toPdf(doc: MinutesDocument, font = PDF_FONT): Promise<Buffer> {
  if (!existsSync(font))
    throw new AppError(
      'unavailable',
      'PDF export needs the DejaVu fonts (Debian package fonts-dejavu-core) on the server.',
    );
  const bold = existsSync(PDF_FONT_BOLD) && font === PDF_FONT ? PDF_FONT_BOLD : font;
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `Minutes: ${doc.title}`, Producer: 'Konvent', Creator: 'Konvent' },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });
  pdf.registerFont('body', font);
  pdf.registerFont('bold', bold);
  pdf.font('bold').fontSize(18).text(`Minutes: ${doc.title}`);
  pdf.moveDown(0.5);
  pdf.font('body').fontSize(10);
  pdf.text(`Date: ${doc.date.slice(0, 10)}    Participants: ${String(doc.participants)}`);
  heading(pdf, 'Decisions');
  const decisions = doc.items.filter((item) => item.kind === 'decision');
  if (decisions.length === 0) pdf.text('None recorded.');
  for (const item of decisions) pdf.text(`• ${item.text}${roomNote(item)}`);
  heading(pdf, 'Action items');
  const actions = doc.items.filter((item) => item.kind === 'action');
  if (actions.length === 0) pdf.text('None recorded.');
  else actionTable(pdf, actions);
  heading(pdf, 'Notes');
  pdf.text(doc.notes.trim() === '' ? 'No notes.' : doc.notes.trim());
  pdf.end();
  await done;
  return Buffer.concat(chunks);
}

function heading(pdf: PDFKit.PDFDocument, text: string): void {
  pdf.moveDown(1);
  pdf.x = pdf.page.margins.left;
  pdf.font('bold').fontSize(13).text(text);
  pdf.moveDown(0.3);
  pdf.font('body').fontSize(10);
}

/** Owner, due, text and done as a table whose rows grow with their text. */
function actionTable(pdf: PDFKit.PDFDocument, actions: MinutesItem[]): void {
  const left = pdf.page.margins.left;
  const widths = [110, 70, 260, 55];
  const row = (cells: string[], font: 'body' | 'bold') => {
    pdf.font(font);
    const height =
      Math.max(...cells.map((text, i) => pdf.heightOfString(text, { width: widths[i] ?? 50 }))) + 6;
    if (pdf.y + height > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
    const top = pdf.y;
    let x = left;
    cells.forEach((text, i) => {
      pdf.text(text, x, top, { width: widths[i] ?? 50 });
      x += (widths[i] ?? 50) + 4;
    });
    pdf.x = left;
    pdf.y = top + height;
  };
  row(['Owner', 'Due', 'Action', 'Done'], 'bold');
  for (const item of actions)
    row(
      [item.owner ?? '', item.due ?? '', `${item.text}${roomNote(item)}`, item.done ? 'yes' : 'no'],
      'body',
    );
  pdf.font('body');
}
