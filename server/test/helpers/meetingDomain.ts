import { SqlSharedMediaRepository } from '../../src/storage/SqlSharedMediaRepository.ts';
import { FfprobeMediaProbe } from '../../src/uploads/FfprobeMediaProbe.ts';
import type { MeetingPolicyChanges } from '@konvent/protocol';
import { AuditLog } from '../../src/audit/AuditLog.ts';
import { Throttle } from '../../src/auth/Throttle.ts';
import { createLogger } from '../../src/observability/createLogger.ts';
import { systemClock } from '../../src/storage/SystemClock.ts';
import type { MeetingServiceDeps } from '../../src/meetings/MeetingService.ts';
import type { Database } from '../../src/storage/Database.ts';
import { SqlInvitationRepository } from '../../src/storage/SqlInvitationRepository.ts';
import { SqlPresentationRepository } from '../../src/storage/SqlPresentationRepository.ts';
import { SqlBreakoutRepository } from '../../src/storage/SqlBreakoutRepository.ts';
import { SqlMinutesRepository } from '../../src/storage/SqlMinutesRepository.ts';
import { SqlReportRepository } from '../../src/storage/SqlReportRepository.ts';
import { SqlWhiteboardRepository } from '../../src/storage/SqlWhiteboardRepository.ts';
import { SqlAnnotationRepository } from '../../src/storage/SqlAnnotationRepository.ts';
import type { Vault } from '../../src/vault/Vault.ts';

/**
 * The policy test meetings get unless a test asks for another: everyone with a link enters,
 * no passcode, no lock after start. Tests of other features need the door open; admission
 * tests set the policy they test.
 */
export const OPEN_POLICY: MeetingPolicyChanges = {
  guestPolicy: 'always_accept',
  passcode: 'none',
  lockAfterStartMinutes: null,
};

/**
 * The storage-backed dependencies of `MeetingService` besides the meeting repository
 * (invitations, reports, presentations, shared media, the link throttle), wired as `App.ts` wires them, for tests that
 * build the domain without a server.
 */
export function admissionDeps(
  database: Database,
  vault: Vault,
): Pick<
  MeetingServiceDeps,
  | 'invitations'
  | 'reports'
  | 'breakouts'
  | 'minutes'
  | 'presentations'
  | 'sharedMedia'
  | 'mediaProbe'
  | 'whiteboards'
  | 'annotations'
  | 'throttle'
> {
  return {
    invitations: new SqlInvitationRepository(database.db, vault),
    reports: new SqlReportRepository(database.db, vault),
    breakouts: new SqlBreakoutRepository(database.db, vault),
    minutes: new SqlMinutesRepository(database.db, vault),
    presentations: new SqlPresentationRepository(database.db, vault),
    sharedMedia: new SqlSharedMediaRepository(database.db, vault),
    mediaProbe: new FfprobeMediaProbe(),
    whiteboards: new SqlWhiteboardRepository(database.db, vault),
    annotations: new SqlAnnotationRepository(database.db, vault),
    throttle: new Throttle(database.db),
  };
}

/** The audit log the meetings domain's tests record into (silent, no checkpoints). */
export function openTestAuditLog(database: Database, vault: Vault): Promise<AuditLog> {
  return AuditLog.open({
    db: database.db,
    vault,
    clock: systemClock,
    logger: createLogger({ logLevel: 'silent' }),
    origin: 'konvent.test/audit',
    checkpointIntervalMs: 0,
  });
}
