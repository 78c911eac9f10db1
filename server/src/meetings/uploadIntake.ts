import { AppError } from '../errors/AppError.ts';
import type { Meeting } from './Meeting.ts';
import { isAllowed, type MeetingAction } from './permissions.ts';
import type { AuditTrail, MeetingAuditAction, RequestContext, UploadScanner } from './ports.ts';
import { requireClean } from './requireClean.ts';

/** One kind of upload a meeting keeps (presentations, shared media) and its rules. */
export interface UploadKind {
  /** The right to upload it, and the audit action an upload (or refusal) is recorded as. */
  right: MeetingAction;
  action: MeetingAuditAction;
  /** For the scanner's logs: `presentation`, `media`. */
  kind: string;
  /** How many of them a meeting is said to have in the refusal ("presentations"). */
  plural: string;
  maxBytes: number;
  perMeeting: number;
  /** How many the meeting keeps now. */
  count: (meetingId: string) => Promise<number>;
}

/** What the intake needs from its desk. */
export interface UploadIntakeDeps {
  load: (meetingId: string) => Promise<Meeting>;
  audit: AuditTrail;
  /** The virus scan; none when scanning is off. */
  scanner?: UploadScanner | undefined;
}

/**
 * The checks every upload passes before its desk looks inside the file: the right to
 * upload (`forbidden`, audited as denied), a size within bounds, room in the meeting
 * (`conflict`: a presenter cannot fill the disk), and the virus scan when it is on
 * (`upload_refused`, audited), so no parser of ours opens a known-malicious file.
 */
export class UploadIntake {
  readonly #deps: UploadIntakeDeps;
  readonly #kind: UploadKind;

  constructor(deps: UploadIntakeDeps, kind: UploadKind) {
    this.#deps = deps;
    this.#kind = kind;
  }

  /** Refuses someone who may not upload; the HTTP route asks before it reads the body. */
  async authorize(actorId: string, meetingId: string): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    await meeting.requireRight(actorId, this.#kind.right, this.#kind.action);
  }

  /**
   * Refuses listing the uploads to anyone who could not have uploaded them (not audited: it
   * reads names the same people see when a file is shown, and changes nothing).
   */
  async authorizeList(actorId: string, meetingId: string): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    const role = meeting.view(actorId)?.role;
    if (role === undefined) throw new AppError('unauthenticated');
    if (!isAllowed(role, this.#kind.right)) throw new AppError('forbidden');
  }

  /** Everything but the look inside: right, size, room, malware. */
  async admit(
    actorId: string,
    meetingId: string,
    bytes: Uint8Array,
    context: RequestContext,
  ): Promise<void> {
    const kind = this.#kind;
    await this.authorize(actorId, meetingId);
    if (bytes.byteLength === 0) throw new AppError('bad_request', 'The file is empty.');
    if (bytes.byteLength > kind.maxBytes) throw new AppError('payload_too_large');
    if ((await kind.count(meetingId)) >= kind.perMeeting)
      throw new AppError(
        'conflict',
        `This meeting already has ${String(kind.perMeeting)} ${kind.plural}, the most it keeps.`,
      );
    const { scanner, audit } = this.#deps;
    if (scanner !== undefined)
      await requireClean({ scanner, audit }, bytes, {
        actorId,
        meetingId,
        kind: kind.kind,
        action: kind.action,
        source: context.source,
      });
  }
}
