/**
 * The minutes as a file: Markdown, or a PDF drawn with pdfkit in DejaVu Sans (Debian's
 * `fonts-dejavu-core`, so umlauts and other scripts print). Pure rendering: the route
 * decided who may have it and audited the export.
 */
import { existsSync } from 'node:fs';
import type { MinutesItem, MinutesRecord } from '@konvent/protocol';
import PDFDocument from 'pdfkit';
import { AppError } from '../errors/AppError.ts';

/** Where Debian puts DejaVu Sans. */
const FONT_DIR = '/usr/share/fonts/truetype/dejavu';

export type ExportLanguage = 'en' | 'de';

const LABELS = {
  en: {
    minutes: 'Minutes',
    untitled: 'Meeting',
    date: 'Date',
    running: 'still running',
    participants: 'Participants',
    decisions: 'Decisions',
    actions: 'Action items',
    notes: 'Notes',
    none: 'None.',
    owner: 'Owner',
    due: 'Due',
    action: 'Action',
    done: 'Done',
    yes: 'yes',
    no: 'no',
    room: 'Room',
  },
  de: {
    minutes: 'Protokoll',
    untitled: 'Besprechung',
    date: 'Datum',
    running: 'läuft noch',
    participants: 'Teilnehmende',
    decisions: 'Beschlüsse',
    actions: 'Aufgaben',
    notes: 'Notizen',
    none: 'Keine.',
    owner: 'Verantwortlich',
    due: 'Fällig',
    action: 'Aufgabe',
    done: 'Erledigt',
    yes: 'ja',
    no: 'nein',
    room: 'Raum',
  },
} as const;

/** What an export shows besides the minutes themselves. */
export interface ExportContext {
  participants: number;
  lang: ExportLanguage;
}

/** `2026-12-05 09:00–10:30 UTC`-style span of the meeting. */
function when(record: MinutesRecord, lang: ExportLanguage): string {
  const day = (iso: string) => iso.slice(0, 10);
  const time = (iso: string) => iso.slice(11, 16);
  const start = record.startedAt;
  if (start === null) return '—';
  if (record.endedAt === null) return `${day(start)} ${time(start)} UTC (${LABELS[lang].running})`;
  const end = record.endedAt;
  const endText = day(end) === day(start) ? time(end) : `${day(end)} ${time(end)}`;
  return `${day(start)} ${time(start)}–${endText} UTC`;
}

const titleOf = (record: MinutesRecord, lang: ExportLanguage) =>
  record.title.trim() === '' ? LABELS[lang].untitled : record.title.trim();

/** A cell of a Markdown table: no line breaks, pipes escaped. */
const cell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

/** The minutes as Markdown (UTF-8). */
export function minutesMarkdown(record: MinutesRecord, context: ExportContext): string {
  const l = LABELS[context.lang];
  const decisions = record.items.filter((item) => item.kind === 'decision');
  const actions = record.items.filter((item) => item.kind === 'action');
  const lines = [
    `# ${l.minutes}: ${cell(titleOf(record, context.lang))}`,
    '',
    `- ${l.date}: ${when(record, context.lang)}`,
    `- ${l.participants}: ${context.participants}`,
    '',
    `## ${l.decisions}`,
    '',
    ...(decisions.length === 0
      ? [l.none]
      : decisions.map((item) => `- ${cell(item.text)}${roomNote(item, context.lang)}`)),
    '',
    `## ${l.actions}`,
    '',
    ...(actions.length === 0
      ? [l.none]
      : [
          `| ${l.owner} | ${l.due} | ${l.action} | ${l.done} |`,
          '|---|---|---|---|',
          ...actions.map(
            (item) =>
              `| ${cell(item.owner ?? '—')} | ${item.due ?? '—'} | ${cell(item.text)}${roomNote(item, context.lang)} | ${item.done ? l.yes : l.no} |`,
          ),
        ]),
    '',
    `## ${l.notes}`,
    '',
    record.notes.trim() === '' ? l.none : record.notes.trim(),
    '',
  ];
  return lines.join('\n');
}

const roomNote = (item: MinutesItem, lang: ExportLanguage) =>
  item.room === undefined ? '' : ` (${LABELS[lang].room}: ${cell(item.room)})`;

/** The minutes as a PDF (A4). Fails `unavailable` when the font is not installed. */
export function minutesPdf(record: MinutesRecord, context: ExportContext): Promise<Buffer> {
  const regular = `${FONT_DIR}/DejaVuSans.ttf`;
  const bold = `${FONT_DIR}/DejaVuSans-Bold.ttf`;
  if (!existsSync(regular) || !existsSync(bold))
    throw new AppError('unavailable', 'PDF export needs the DejaVu fonts (fonts-dejavu-core).');
  const l = LABELS[context.lang];
  const title = `${l.minutes}: ${titleOf(record, context.lang)}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: title, Producer: 'Konvent', Creator: 'Konvent' },
  });
  doc.registerFont('body', regular);
  doc.registerFont('bold', bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });
  const heading = (text: string) => {
    doc.moveDown(0.8).font('bold').fontSize(13).text(text).moveDown(0.3);
    doc.font('body').fontSize(10.5);
  };
  doc.font('bold').fontSize(18).text(title);
  doc.moveDown(0.3).font('body').fontSize(10.5);
  doc.text(`${l.date}: ${when(record, context.lang)}`);
  doc.text(`${l.participants}: ${context.participants}`);

  heading(l.decisions);
  const decisions = record.items.filter((item) => item.kind === 'decision');
  if (decisions.length === 0) doc.text(l.none);
  for (const item of decisions)
    doc.text(`•  ${item.text}${roomNote(item, context.lang)}`, { paragraphGap: 3 });

  heading(l.actions);
  const actions = record.items.filter((item) => item.kind === 'action');
  if (actions.length === 0) doc.text(l.none);
  for (const item of actions) {
    doc.font('bold').text(`${item.done ? '☑' : '☐'}  ${item.text}${roomNote(item, context.lang)}`);
    doc
      .font('body')
      .fillColor('#444444')
      .text(`${l.owner}: ${item.owner ?? '—'}    ${l.due}: ${item.due ?? '—'}`, {
        indent: 16,
        paragraphGap: 5,
      })
      .fillColor('black');
  }

  heading(l.notes);
  doc.text(record.notes.trim() === '' ? l.none : record.notes.trim());
  doc.end();
  return done;
}

/** A file name for the export: the title's letters and digits, the day, the extension. */
export function exportFileName(record: MinutesRecord, format: 'md' | 'pdf'): string {
  const base =
    record.title
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'meeting';
  const day = (record.startedAt ?? record.endedAt ?? '').slice(0, 10);
  return `minutes-${base}${day === '' ? '' : `-${day}`}.${format}`;
}
