import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { recordAudit, verifyAuditChain } from '../../platform/audit.ts';
import type { Actor } from '../../platform/context.ts';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';

const ADMIN: Actor = { userId: '00000000-0000-0000-0000-0000000000aa', username: 'auditor', displayName: 'Auditor', roles: ['admin'], citizenId: null, centerCode: null, locale: 'en' };
const entry = (i: number) => ({ action: 'test.write', citizenIds: [i + 1, i + 2], resource: `r/${i}`, purpose: 'chain test' });
/** n audited transactions at once (on PostgreSQL over several connections, so several chains). */
const writeConcurrently = (d: TestDatabase, n: number) =>
  Promise.all(Array.from({ length: n }, (_, i) => d.db.transaction().execute((trx) => recordAudit(trx, ADMIN, entry(i)))));
/** n rows in one transaction: one connection, so one chain. */
const writeInOneChain = (d: TestDatabase, n: number) =>
  d.db.transaction().execute(async (trx) => { for (let i = 0; i < n; i++) await recordAudit(trx, ADMIN, entry(i)); });
const rowsByChain = (d: TestDatabase) =>
  d.db.selectFrom('audit_log').select(['audit_id', 'chain', 'seq', 'prev_hash', 'hash']).orderBy('chain').orderBy('seq').execute();
const tamperable = async (d: TestDatabase, trigger: string, f: () => Promise<unknown>) => {
  await sql`alter table audit_log disable trigger ${sql.id(trigger)}`.execute(d.db);
  try { await f(); } finally { await sql`alter table audit_log enable trigger ${sql.id(trigger)}`.execute(d.db); }
};

describe('audit log hash chain', () => {
  let d: TestDatabase;
  before(async () => { d = await createTestDatabase(); });
  after(async () => { await d.close(); });

  test('concurrent audited transactions keep gap-free valid chains', async () => {
    await writeConcurrently(d, 40);
    const rows = await rowsByChain(d);
    assert.equal(rows.length, 40);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const prev = rows[i - 1];
      const first = !prev || prev.chain !== r.chain;
      assert.equal(Number(r.seq), first ? 1 : Number(prev.seq) + 1, `chain ${r.chain}`);
      assert.ok(Buffer.from(r.prev_hash).equals(first ? Buffer.alloc(32) : Buffer.from(prev.hash)));
    }
    const progress: number[] = [];
    const v = await verifyAuditChain(d.db, { batchSize: 7, onProgress: (n) => progress.push(n) });
    assert.equal(v.firstBreak, null);
    assert.equal(v.checked, 40);
    assert.equal(progress.at(-1), 40);
  });

  test('each chain head names its last row', async () => {
    const heads = await d.db.selectFrom('audit_chain_head').selectAll().execute();
    assert.equal(heads.length, 32);
    const rows = await rowsByChain(d);
    for (const h of heads) {
      const mine = rows.filter((r) => r.chain === h.chain);
      assert.equal(Number(h.seq), mine.length);
      assert.ok(Buffer.from(h.hash).equals(mine.length ? Buffer.from(mine.at(-1)!.hash) : Buffer.alloc(32)));
    }
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
    await assert.rejects(d.db.deleteFrom('audit_chain_head').execute(), /append-only/);
    assert.equal((await verifyAuditChain(d.db)).firstBreak, null);
  });

  test('a row changed behind the trigger\'s back is reported, with the rows before it intact', async () => {
    const t = await createTestDatabase();
    try {
      await writeConcurrently(t, 12);
      const all = await rowsByChain(t);
      const victim = all[7]!;
      await tamperable(t, 'audit_log_append_only', () => sql`update audit_log set purpose = 'nothing to see' where audit_id = ${victim.audit_id}`.execute(t.db));
      const r = await verifyAuditChain(t.db, { batchSize: 5 });
      assert.deepEqual(r.firstBreak, { chain: victim.chain, seq: Number(victim.seq), auditId: Number(victim.audit_id), reason: 'content' });
      assert.equal(r.checked, 7);
      if (t.url) {
        // The admin command says the same and exits non-zero.
        const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'audit', 'verify'], {
          env: { ...process.env, DATABASE_URL: t.url, NODE_ENV: 'test' },
        });
        const err = await run.then(() => undefined, (e: { code: number; stdout: string }) => e);
        assert.equal(err?.code, 1);
        assert.match(err!.stdout, new RegExp(`BROKEN at chain ${victim.chain} seq ${victim.seq} \\(audit_id ${victim.audit_id}\\)`));
      }
    } finally { await t.close(); }
  });

  test('a removed row, a forged row and a removed tail are reported', async () => {
    const t = await createTestDatabase();
    try {
      await writeInOneChain(t, 6);
      const rows = await rowsByChain(t);
      const chain = rows[0]!.chain;
      assert.ok(rows.every((r) => r.chain === chain));
      await tamperable(t, 'audit_log_append_only', () => sql`delete from audit_log where seq = 3`.execute(t.db));
      assert.deepEqual((await verifyAuditChain(t.db)).firstBreak, { chain, seq: 4, auditId: Number(rows[3]!.audit_id), reason: 'gap' });
      // Put back with the right position and links but other content: the hash no longer fits.
      await tamperable(t, 'audit_log_chain', () => sql`insert into audit_log (actor_username, action, resource, purpose, chain, seq, prev_hash, hash)
        values ('forger', 'test.write', 'r/x', 'forged', ${chain}, 3, ${rows[1]!.hash}, ${rows[2]!.hash})`.execute(t.db));
      const forged = await verifyAuditChain(t.db);
      assert.deepEqual([forged.firstBreak?.seq, forged.firstBreak?.reason], [3, 'content']);
      // The tail removed: the chain head still names the last row.
      await tamperable(t, 'audit_log_append_only', () => sql`delete from audit_log where seq >= 3`.execute(t.db));
      assert.deepEqual((await verifyAuditChain(t.db)).firstBreak, { chain, seq: 3, auditId: null, reason: 'head' });
    } finally { await t.close(); }
  });
});
