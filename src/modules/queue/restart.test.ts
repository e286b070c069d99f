import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createApp, createContext } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';
import { openDatabase, type Database } from '../../platform/db.ts';
import { createLogger } from '../../platform/logger.ts';
import { migrate } from '../../platform/migrate.ts';
import { createTestDatabase, referenceData, type TestDatabase } from '../../test/db.ts';
import { upsertReferenceData } from '../reference/index.ts';
import { createUser } from '../../test/factories.ts';
import { CENTER, MORNING, SVC } from './test-kit.ts';

// A restart is a new process over the same data: on PostgreSQL a new pool on the same database,
// on PGlite the same data directory opened again.
let holder: TestDatabase | undefined;
let dir: string | undefined;
after(async () => {
  await holder?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openSame(): Promise<Database> {
  if (process.env.DATABASE_URL) {
    holder ??= await createTestDatabase();
    return openDatabase({ url: holder.url!, poolSize: 4 });
  }
  const fresh = !dir;
  dir ??= mkdtempSync(path.join(tmpdir(), 'dost-queue-'));
  const d = await openDatabase({ dataDir: dir });
  if (fresh) {
    await migrate(d);
    await upsertReferenceData(d.db, await referenceData());
  }
  return d;
}

async function start() {
  const database = await openSame();
  const config = loadConfig({ NODE_ENV: 'test' }, { loginRateLimitPerMinute: 1000 });
  const ctx = await createContext(config, database, createLogger('warn'), () => new Date(MORNING));
  const app = await createApp(ctx);
  await app.ready();
  return { app, ctx, async stop() { await app.close(); await database.close(); } };
}

test('the queue survives a restart: waiting order, called tickets, windows and numbering are intact', async () => {
  const p1 = await start();
  const u = await createUser(p1.ctx.db, { roles: ['center_manager'], centerCode: CENTER, username: 'restart-manager' });
  const tok = async (app: typeof p1.app) => (await app.inject({ method: 'POST', url: '/api/auth/token', payload: { username: u.username, password: u.password } })).json<{ token: string }>().token;
  let auth = { authorization: `Bearer ${await tok(p1.app)}` };
  const numbers: string[] = [];
  for (const s of [SVC.ref, SVC.ref, SVC.labour, SVC.ref]) {
    const r = await p1.app.inject({ method: 'POST', url: `/api/queue/centers/${CENTER}/kiosk/tickets`, payload: { serviceCode: s } });
    numbers.push(r.json<{ ticket: { number: string } }>().ticket.number);
  }
  const called = (await p1.app.inject({ method: 'POST', url: `/api/queue/centers/${CENTER}/windows/1/call-next`, headers: auth })).json<{ ticket: { id: number; number: string } }>();
  assert.equal(called.ticket.number, numbers[0]);
  assert.equal((await p1.app.inject({ method: 'PATCH', url: `/api/queue/centers/${CENTER}/windows/2`, headers: auth, payload: { isOpen: false } })).statusCode, 200);
  const hallBefore = (await p1.app.inject({ url: `/api/queue/centers/${CENTER}/hall`, headers: auth })).json();
  await p1.stop();

  const p2 = await start();
  try {
    auth = { authorization: `Bearer ${await tok(p2.app)}` };
    const hallAfter = (await p2.app.inject({ url: `/api/queue/centers/${CENTER}/hall`, headers: auth })).json();
    assert.deepEqual(hallAfter, hallBefore);
    // The called ticket is still at window 1 and can be served; window 2 is still closed.
    assert.equal((await p2.app.inject({ method: 'POST', url: `/api/queue/tickets/${called.ticket.id}/serve`, headers: auth, payload: {} })).json<{ status: string }>().status, 'serving');
    assert.equal((await p2.app.inject({ method: 'POST', url: `/api/queue/centers/${CENTER}/windows/2/call-next`, headers: auth })).statusCode, 409);
    // The next call continues in order, and numbering continues.
    const next = (await p2.app.inject({ method: 'POST', url: `/api/queue/centers/${CENTER}/windows/3/call-next`, headers: auth })).json<{ ticket: { number: string } }>();
    assert.equal(next.ticket.number, numbers[1]);
    const r = await p2.app.inject({ method: 'POST', url: `/api/queue/centers/${CENTER}/kiosk/tickets`, payload: { serviceCode: SVC.ref } });
    assert.equal(r.json<{ ticket: { number: string } }>().ticket.number, `${numbers[0]![0]}-004`);
  } finally {
    await p2.stop();
  }
});
