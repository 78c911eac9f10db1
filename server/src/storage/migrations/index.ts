import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001_initial.ts';
import * as audit from './0002_audit.ts';
import * as auditor from './0003_auditor.ts';
import * as identity from './0004_identity.ts';
import * as meetingRoles from './0005_meeting_roles.ts';
import * as admission from './0006_admission.ts';
import * as chatModeration from './0007_chat_moderation.ts';
import * as presentations from './0008_presentations.ts';
import * as whiteboards from './0009_whiteboards.ts';
import * as annotations from './0010_annotations.ts';
import * as sharedMedia from './0011_shared_media.ts';
import * as breakouts from './0012_breakouts.ts';
import * as minutes from './0013_minutes.ts';

/**
 * Every migration, in order. Kept in code (not read from a folder) so that the server
 * needs no file-system access to its own source at run time. Names sort in run order;
 * never rename or edit one that has shipped, add a new one.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_audit': audit,
  '0003_auditor': auditor,
  '0004_identity': identity,
  '0005_meeting_roles': meetingRoles,
  '0006_admission': admission,
  '0007_chat_moderation': chatModeration,
  '0008_presentations': presentations,
  '0009_whiteboards': whiteboards,
  '0010_annotations': annotations,
  '0011_shared_media': sharedMedia,
  '0012_breakouts': breakouts,
  '0013_minutes': minutes,
};

/** The provider for Kysely's Migrator. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
