import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createApp, createContext } from '../../app.ts';
import type { Actor } from '../../platform/context.ts';
import { openDatabase } from '../../platform/db.ts';
import { createLogger } from '../../platform/logger.ts';
import { createNotifier } from '../../platform/notify.ts';
import { createUser } from '../../test/factories.ts';
import { CENTER, createQueueTestApp, MORNING, SVC, type QueueTestApp } from './test-kit.ts';
import * as service from './service.ts';

interface SseEvent { id: number; event: string; data: { id: number; kind: string; payload: { number?: string } } }

/** An SSE client on a raw socket: collects events, lets a test wait for a count of them. */
function openStream(base: string, path: string, lastEventId?: number) {
  const events: SseEvent[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let buf = '';
  let status = 0;
  const req = http.get(`${base}${path}`, { headers: { accept: 'text/event-stream', ...(lastEventId !== undefined && { 'last-event-id': String(lastEventId) }) } }, (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const f: Record<string, string> = {};
        for (const line of block.split('\n')) { const m = /^(\w+): ?(.*)$/.exec(line); if (m) f[m[1]!] = m[2]!; }
        if (f.id && f.data) events.push({ id: Number(f.id), event: f.event ?? 'message', data: JSON.parse(f.data) as SseEvent['data'] });
      }
      for (const w of waiters.splice(0)) if (events.length >= w.n) w.resolve(); else waiters.push(w);
    });
  });
  req.on('error', () => undefined);
  return {
    events,
    status: () => status,
    waitFor: (n: number, ms = 5000) => new Promise<void>((resolve, reject) => {
      if (events.length >= n) return resolve();
      const timer = setTimeout(() => reject(new Error(`timed out with ${events.length}/${n} events: ${JSON.stringify(events.map((e) => e.event))}`)), ms);
      waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(); } });
    }),
    close: () => req.destroy(),
  };
}

let t: QueueTestApp;
let base: string;
let staff: Actor;
before(async () => {
  t = await createQueueTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const u = await createUser(t.ctx.db, { roles: ['operator'], centerCode: CENTER });
  staff = { userId: u.user_id, username: u.username, displayName: 'op', roles: ['operator'], citizenId: null, centerCode: CENTER, locale: 'en' };
});
after(() => t.close());

describe('notify', () => {
  test('a NOTIFY on a channel reaches every subscriber of the process, and unsubscribing stops it', async () => {
    const n = createNotifier(t.database);
    const got: string[] = [];
    const off = await n.subscribe('dost_test_channel', (p) => got.push(p));
    await t.database.exec(`NOTIFY dost_test_channel, 'hello'`);
    for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(got, ['hello']);
    off();
    await t.database.exec(`NOTIFY dost_test_channel, 'again'`);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(got, ['hello']);
    await n.close();
  });
});

describe('display board events over SSE', () => {
  test('an unknown center is a 404 before any stream starts', async () => {
    const r = await t.app.inject({ url: '/api/queue/centers/NOPE-9/events' });
    assert.equal(r.statusCode, 404);
  });

  test('a client gets live events, and a reconnecting client catches up from its Last-Event-ID', async () => {
    const s1 = openStream(base, `/api/queue/centers/${CENTER}/events`);
    await new Promise((r) => setTimeout(r, 200));
    const a = await service.issueTicket(t.ctx, staff, CENTER, { serviceCode: SVC.ref });
    await s1.waitFor(1);
    assert.equal(s1.status(), 200);
    assert.equal(s1.events[0]!.event, 'ticket.issued');
    assert.equal(s1.events[0]!.data.payload.number, a.ticket.number);
    const seen = s1.events[0]!.id;
    s1.close();
    // Missed while disconnected:
    await service.callNextTicket(t.ctx, staff, CENTER, 1);
    await service.actOnTicket(t.ctx, staff, a.ticket.id, 'serve');
    const s2 = openStream(base, `/api/queue/centers/${CENTER}/events`, seen);
    await s2.waitFor(2);
    assert.deepEqual(s2.events.map((e) => e.event), ['ticket.called', 'ticket.serving']);
    await service.actOnTicket(t.ctx, staff, a.ticket.id, 'finish');
    await s2.waitFor(3);
    assert.equal(s2.events[2]!.event, 'ticket.finished');
    const ids = s2.events.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
    assert.ok(ids[0]! > seen);
    s2.close();
  });

  test('events carry no personal data', async () => {
    const rows = await t.ctx.db.selectFrom('queue_events').select('payload').execute();
    for (const r of rows) assert.ok(!('citizenId' in r.payload) && !JSON.stringify(r.payload).includes('fin'), JSON.stringify(r.payload));
  });

  test('two API processes on one PostgreSQL database both see an event published by either', { skip: !process.env.DATABASE_URL && 'needs PostgreSQL (PGlite is one process)' }, async () => {
    // The second "process": its own pool, notifier and HTTP server over the same database.
    const db2 = await openDatabase({ url: t.database.url!, poolSize: 4 });
    const ctx2 = await createContext(t.ctx.config, db2, createLogger('warn'), () => new Date(MORNING));
    const app2 = await createApp(ctx2);
    const base2 = await app2.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { lastEventId } = await service.getBoard(t.ctx, CENTER);
      const s1 = openStream(base, `/api/queue/centers/${CENTER}/events`, lastEventId);
      const s2 = openStream(base2, `/api/queue/centers/${CENTER}/events`, lastEventId);
      await new Promise((r) => setTimeout(r, 300));
      const x = await service.issueTicket(t.ctx, staff, CENTER, { serviceCode: SVC.ref });
      const y = await service.issueTicket(ctx2, staff, CENTER, { serviceCode: SVC.ref });
      // Both live events reach the clients of both processes.
      await s1.waitFor(2);
      await s2.waitFor(2);
      for (const s of [s1, s2]) assert.deepEqual(s.events.map((e) => e.data.payload.number), [x.ticket.number, y.ticket.number]);
      s1.close();
      s2.close();
    } finally {
      await app2.close();
      await db2.close();
    }
  });

  test('closing the app ends open streams (shutdown does not hang)', async () => {
    const s = openStream(base, `/api/queue/centers/${CENTER}/events`);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(s.status(), 200);
  });
});
