import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { AuditLog } from '../../src/audit/AuditLog.ts';
import { eachBackend } from '../helpers/databases.ts';
import { openFixture, sampleEvent, storedRows, type AuditFixture } from './auditFixture.ts';

/** The database's refusal: a trigger raising `insufficient_privilege`. */
function refused(error: unknown): boolean {
  assert.ok(error instanceof Error, String(error));
  assert.match(error.message, /append-only|retention path/);
  assert.equal((error as { code?: unknown }).code, '42501');
  return true;
}

for (const backend of eachBackend()) {
  describe(`the database keeps the audit trail append-only on ${backend.name}`, () => {
    let f: AuditFixture;
    let log: AuditLog;

    before(async () => {
      f = await openFixture(backend);
      log = await f.open();
      for (let i = 0; i < 5; i++) await log.record(sampleEvent(i));
      await log.checkpoint();
    });
    after(async () => {
      await f.cleanup();
    });

    test('an UPDATE of an event is refused', async () => {
      await assert.rejects(
        f.db
          .updateTable('audit_events')
          .set({ actor_id: 'someone-else' })
          .where('seq', '=', 1)
          .execute(),
        refused,
      );
      await assert.rejects(
        f.db.updateTable('audit_events').set({ content: null, salt: null }).execute(),
        refused,
      );
    });

    test('a DELETE of events is refused, even one that matches nothing', async () => {
      await assert.rejects(f.db.deleteFrom('audit_events').where('seq', '=', 4).execute(), refused);
      await assert.rejects(f.db.deleteFrom('audit_events').where('seq', '<', 0).execute(), refused);
    });

    test('TRUNCATE of any audit table is refused', async () => {
      for (const table of ['audit_events', 'audit_checkpoints', 'audit_keys']) {
        await assert.rejects(sql`truncate ${sql.table(table)}`.execute(f.db), refused);
      }
    });

    test('checkpoints and keys can be neither changed nor deleted', async () => {
      await assert.rejects(
        f.db.updateTable('audit_checkpoints').set({ tree_size: 1 }).execute(),
        refused,
      );
      await assert.rejects(f.db.deleteFrom('audit_checkpoints').execute(), refused);
      await assert.rejects(f.db.updateTable('audit_keys').set({ name: 'x' }).execute(), refused);
      await assert.rejects(f.db.deleteFrom('audit_keys').execute(), refused);
    });

    test('the retention path may erase content and personal columns, and nothing else', async () => {
      const retention = async (change: Record<string, unknown>) =>
        f.db.transaction().execute(async (trx) => {
          await sql`set local konvent.audit_retention = 'on'`.execute(trx);
          await trx
            .updateTable('audit_events')
            .set({
              content: null,
              salt: null,
              actor_id: null,
              target: null,
              meeting_id: null,
              source: null,
              erased_at: new Date(),
              ...change,
            })
            .where('seq', '=', 2)
            .execute();
        });
      await assert.rejects(retention({ leaf_hash: Buffer.alloc(32) }), refused);
      await assert.rejects(retention({ seq: 99 }), refused);
      await assert.rejects(retention({ action: 'server.start' }), refused);
      await assert.rejects(retention({ actor_id: 'someone-else' }), refused);
      await assert.rejects(retention({ erased_at: null }), refused);
      await retention({});
      // Erased once; it cannot be "erased" again with other values.
      await assert.rejects(retention({}), refused);
      const rows = await storedRows(f.db);
      const erased = rows[2];
      assert.ok(erased);
      assert.equal(erased.content, null);
      assert.equal(erased.actorId, null);
      assert.notEqual(erased.erasedAt, null);
      assert.equal(erased.leafHash.length, 32);
    });

    test('the retention setting does not leak past its transaction', async () => {
      await f.db.transaction().execute(async (trx) => {
        await sql`set local konvent.audit_retention = 'on'`.execute(trx);
      });
      await assert.rejects(
        f.db
          .updateTable('audit_events')
          .set({ content: null, salt: null, erased_at: new Date() })
          .where('seq', '=', 3)
          .execute(),
        refused,
      );
    });
  });
}
