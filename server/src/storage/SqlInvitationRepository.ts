import type { Kysely, Selectable } from 'kysely';
import type { InvitationRecord, InvitationRepository } from '../meetings/ports.ts';
import type { Vault } from '../vault/Vault.ts';
import { toInvitationRole, translate } from './rowValues.ts';
import type { InvitationsTable, Tables } from './Tables.ts';

/**
 * The label's vault context binds it to its meeting, row and column, so a label copied onto
 * another invitation (or into another column) fails to open instead of naming the wrong
 * person.
 */
const labelContext = (meetingId: string, invitationId: string) =>
  `invitation:${meetingId}:${invitationId}:label`;

/**
 * `InvitationRepository` on SQL (PGlite or PostgreSQL through Kysely). The label is sealed
 * with the vault; token and PIN arrive already hashed. Using an invitation is a single
 * conditional update, so concurrent joins on any number of server processes never use it
 * more often than it allows.
 */
export class SqlInvitationRepository implements InvitationRepository {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;

  constructor(db: Kysely<Tables>, vault: Vault) {
    this.#db = db;
    this.#vault = vault;
  }

  /**
   * Stores a new, unused invitation; an unknown meeting is `not_found`, a duplicate id or
   * token hash a `conflict`.
   */
  async create(invitation: Omit<InvitationRecord, 'uses' | 'revokedAt'>): Promise<void> {
    const labelSealed = await this.#vault.seal(
      invitation.label,
      labelContext(invitation.meetingId, invitation.id),
    );
    await this.#db
      .insertInto('invitations')
      .values({
        id: invitation.id,
        meeting_id: invitation.meetingId,
        token_hash: invitation.tokenHash,
        label_sealed: labelSealed,
        role: invitation.role,
        pin_hash: invitation.pinHash,
        created_by: invitation.createdBy,
        created_at: invitation.createdAt,
        expires_at: invitation.expiresAt,
        max_uses: invitation.maxUses,
        minute_taker: invitation.minuteTaker === true,
      })
      .execute()
      .catch(translate);
  }

  /** The meeting's invitations, newest first, whatever their state. */
  async list(meetingId: string): Promise<InvitationRecord[]> {
    const rows = await this.#db
      .selectFrom('invitations')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return Promise.all(rows.map((row) => this.#invitation(row)));
  }

  /** The invitation of this meeting with this token hash, whatever its state. */
  async findByToken(meetingId: string, tokenHash: string): Promise<InvitationRecord | undefined> {
    const row = await this.#db
      .selectFrom('invitations')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#invitation(row);
  }

  /**
   * Uses the invitation once if it is not revoked, not expired at `now` and has uses left.
   * Check and increment are one statement: PostgreSQL re-checks the conditions on the row
   * a concurrent update has just committed, so of two racing joins on a single-use
   * invitation exactly one succeeds (the check constraint `uses <= max_uses` backs this up).
   */
  async consume(invitationId: string, now: Date): Promise<boolean> {
    const result = await this.#db
      .updateTable('invitations')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('id', '=', invitationId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .where((eb) => eb.or([eb('max_uses', 'is', null), eb('uses', '<', eb.ref('max_uses'))]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Gives a use back after a join that failed once it had consumed one; never below zero. */
  async release(invitationId: string): Promise<void> {
    await this.#db
      .updateTable('invitations')
      .set((eb) => ({ uses: eb('uses', '-', 1) }))
      .where('id', '=', invitationId)
      .where('uses', '>', 0)
      .execute();
  }

  /**
   * Revokes an invitation of this meeting; resolves to false if there is none with this id
   * in this meeting or it was already revoked (the first revocation time stays).
   */
  async revoke(meetingId: string, invitationId: string, at: Date): Promise<boolean> {
    const result = await this.#db
      .updateTable('invitations')
      .set({ revoked_at: at })
      .where('id', '=', invitationId)
      .where('meeting_id', '=', meetingId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async #invitation(row: Selectable<InvitationsTable>): Promise<InvitationRecord> {
    return {
      id: row.id,
      meetingId: row.meeting_id,
      tokenHash: row.token_hash,
      label: await this.#vault.openText(row.label_sealed, labelContext(row.meeting_id, row.id)),
      role: toInvitationRole(row.role),
      pinHash: row.pin_hash,
      createdBy: row.created_by,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      maxUses: row.max_uses,
      uses: row.uses,
      revokedAt: row.revoked_at,
      minuteTaker: row.minute_taker,
    };
  }
}
