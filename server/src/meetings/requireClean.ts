import { AppError } from '../errors/AppError.ts';
import type { AuditTrail, MeetingAuditAction, UploadScanner } from './ports.ts';

/** The text an uploader sees when the scan finds malware (the signature stays in the audit). */
export const INFECTED_UPLOAD_MESSAGE = 'The file was refused by the virus scan.';

/** Who uploads what where, for the scan and the audit event of a refused upload. */
export interface UploadToScan {
  actorId: string;
  meetingId: string;
  /** What is uploaded (`presentation`, `media`), for the scanner's logs. */
  kind: string;
  /** The audit action of this kind of upload; a refusal is recorded as it, `denied`. */
  action: MeetingAuditAction;
  /** The client's IP address, if known. */
  source?: string | undefined;
}

/**
 * Scans an upload before anything of it is stored, and refuses malware: an infected file
 * is audited (`denied`, reason `malware`, the signature's name; never the file name) and
 * answered with `upload_refused`. When the scanner cannot decide it rejects with
 * `unavailable` itself, and the upload is refused just the same (fail closed).
 */
export async function requireClean(
  deps: { scanner: UploadScanner; audit: AuditTrail },
  content: Uint8Array | AsyncIterable<Uint8Array>,
  upload: UploadToScan,
): Promise<void> {
  const verdict = await deps.scanner.scan(content, {
    meetingId: upload.meetingId,
    kind: upload.kind,
  });
  if (!verdict.infected) return;
  await deps.audit.record({
    action: upload.action,
    actor: { kind: 'participant', id: upload.actorId },
    meetingId: upload.meetingId,
    outcome: 'denied',
    ...(upload.source === undefined ? {} : { source: upload.source }),
    details: { reason: 'malware', signature: verdict.signature },
  });
  throw new AppError('upload_refused', INFECTED_UPLOAD_MESSAGE);
}
