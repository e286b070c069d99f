import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { recordAudit, verifyAuditChain } from '../../platform/audit.ts';
import type { Actor } from '../../platform/context.ts';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';

const ADMIN: Actor = { userId: '00000000-0000-0000-0000-0000000000aa', username: 'auditor', displayName: 'Auditor', roles: ['admin'], citizenId: null, centerCode: null, locale: 'en' };
const write = (d: TestDatabase, n: number, from = 0) =>
  Promise.all(Array.from({ length: n }, (_, i) => d.db.transaction().execute((trx) =>
    recordAudit(trx, ADMIN, { action: 'test.write', citizenIds: [from + i + 1, from + i + 2], resource: `r/${from + i}`, purpose: 'chain test' }))));

describe('audit log hash chain', () => {
  let d: TestDatabase;
  before(async () => { d = await createTestDatabase(); });
  after(async () => { await d.close(); });

  test('concurrent audited transactions keep one gap-free valid chain', async () => {
    await write(d, 40);
    const rows = await d.db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
    assert.deepEqual(rows.map((r) => Number(r.seq)), rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) assert.ok(Buffer.from(rows[i]!.prev_hash).equals(Buffer.from(rows[i - 1]!.hash)));
    const r = await verifyAuditChain(d.db, { batchSize: 7 });
    assert.equal(r.firstBreak, null);
    assert.equal(r.checked, rows.length);
  });

  test('one row names every citizen; a single citizen is also in citizen_id', async () => {
    await recordAudit(d.db, ADMIN, { action: 'test.one', citizenId: 5, resource: 'x', purpose: 'p' });
    const one = await d.db.selectFrom('audit_log').select(['citizen_id', 'citizen_ids']).where('action', '=', 'test.one').executeTakeFirstOrThrow();
    assert.deepEqual([one.citizen_id, one.citizen_ids.map(Number)], [5, [5]]);
    const many = await d.db.selectFrom('audit_log').select(['citizen_id', 'citizen_ids']).where('resource', '=', 'r/0').executeTakeFirstOrThrow();
    assert.deepEqual([many.citizen_id, many.citizen_ids.map(Number)], [null, [1, 2]]);
  });

  test('TRUNCATE, UPDATE and DELETE are refused', async () => {
    await assert.rejects(sql`truncate audit_log`.execute(d.db), /append-only/);
    await assert.rejects(sql`truncate audit_chain_head`.execute(d.db), /append-only/);
    await assert.rejects(d.db.updateTable('audit_log').set({ purpose: 'x' }).execute(), /append-only/);
    await assert.rejects(d.db.deleteFrom('audit_log').execute(), /append-only/);
    assert.equal((await verifyAuditChain(d.db)).firstBreak, null);
  });

  test('a row changed behind the trigger\'s back is reported, with the rows before it intact', async () => {
    const t = await createTestDatabase();
    try {
      await write(t, 12);
      const victim = await t.db.selectFrom('audit_log').select(['seq', 'audit_id']).where('seq', '=', 7).executeTakeFirstOrThrow();
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(t.db);
      await sql`update audit_log set purpose = 'nothing to see' where seq = 7`.execute(t.db);
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(t.db);
      const r = await verifyAuditChain(t.db, { batchSize: 5 });
      assert.deepEqual(r.firstBreak, { seq: 7, auditId: Number(victim.audit_id), reason: 'content' });
      assert.equal(r.checked, 6);
      if (t.url) {
        // The admin command says the same and exits non-zero.
        const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'audit', 'verify'], {
          env: { ...process.env, DATABASE_URL: t.url, NODE_ENV: 'test' },
        });
        const err = await run.then(() => undefined, (e: { code: number; stdout: string }) => e);
        assert.equal(err?.code, 1);
        assert.match(err!.stdout, /BROKEN at seq 7 /);
      }
    } finally { await t.close(); }
  });

  test('a removed row and a forged row are reported', async () => {
    const t = await createTestDatabase();
    try {
      await write(t, 6);
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(t.db);
      await sql`delete from audit_log where seq = 3`.execute(t.db);
      assert.deepEqual((await verifyAuditChain(t.db)).firstBreak, { seq: 4, auditId: (await t.db.selectFrom('audit_log').select('audit_id').where('seq', '=', 4).executeTakeFirstOrThrow()).audit_id, reason: 'gap' });
      // Re-inserted with the right position and links but other content: the hash no longer fits.
      await sql`alter table audit_log disable trigger audit_log_chain`.execute(t.db);
      const r4 = await t.db.selectFrom('audit_log').select(['hash']).where('seq', '=', 2).executeTakeFirstOrThrow();
      const r3 = await t.db.selectFrom('audit_log').select(['prev_hash']).where('seq', '=', 4).executeTakeFirstOrThrow();
      await sql`insert into audit_log (actor_username, action, resource, purpose, seq, prev_hash, hash)
        values ('forger', 'test.write', 'r/x', 'forged', 3, ${r4.hash}, ${r3.prev_hash})`.execute(t.db);
      assert.deepEqual((await verifyAuditChain(t.db)).firstBreak?.reason, 'content');
      assert.deepEqual((await verifyAuditChain(t.db)).firstBreak?.seq, 3);
      // The tail removed: the chain head still names the last row.
      await sql`delete from audit_log where seq >= 3`.execute(t.db);
      assert.deepEqual((await verifyAuditChain(t.db)).firstBreak, { seq: 3, auditId: null, reason: 'head' });
    } finally { await t.close(); }
  });

  test('the chain head names the last row', async () => {
    const head = await d.db.selectFrom('audit_chain_head').selectAll().executeTakeFirstOrThrow();
    const last = await d.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal(Number(head.seq), Number(last.seq));
    assert.ok(Buffer.from(head.hash).equals(Buffer.from(last.hash)));
  });
});
