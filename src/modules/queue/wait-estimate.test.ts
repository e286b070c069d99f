import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Actor } from '../../platform/context.ts';
import { createUser } from '../../test/factories.ts';
import { CENTER, createQueueTestApp, type QueueTestApp } from './test-kit.ts';
import * as service from './service.ts';
import { planDay, replayDay, type QueueDriver } from './simulate.ts';

let t: QueueTestApp;
let staff: Actor;
const WINDOWS = 7;
before(async () => {
  t = await createQueueTestApp();
  const u = await createUser(t.ctx.db, { roles: ['operator'], centerCode: CENTER });
  staff = { userId: u.user_id, username: u.username, displayName: 'op', roles: ['operator'], citizenId: null, centerCode: CENTER, locale: 'en' };
  await service.getOpenCenter(t.ctx, CENTER);
  await t.ctx.db.updateTable('queue_windows').set({ is_open: false }).where('center_code', '=', CENTER).where('window_no', '>', WINDOWS).execute();
});
after(() => t.close());

const driver: () => QueueDriver = () => ({
  setClock: (at) => t.setNow(at),
  issue: async (a) => { const r = await service.issueTicket(t.ctx, staff, CENTER, { serviceCode: a.serviceCode, priority: a.priority }); return { id: r.ticket.id, estimatedWaitMinutes: r.estimatedWaitMinutes }; },
  callNext: async (w) => (await service.callNextTicket(t.ctx, staff, CENTER, w)).ticket,
  serve: async (id) => { await service.actOnTicket(t.ctx, staff, id, 'serve'); },
  finish: async (id) => { await service.actOnTicket(t.ctx, staff, id, 'finish'); },
  noShow: async (id) => { await service.actOnTicket(t.ctx, staff, id, 'no_show'); },
});

test('the wait estimate given at issue tracks the actual wait over a replayed day', async () => {
  const services = (await t.ctx.db.selectFrom('services').select(['service_code', 'counter_minutes']).where('service_code', 'in', ['99-01-01-00', '99-02-01-00', '99-03-01-00', '99-02-03-00', '99-01-05-00', '99-03-03-00']).orderBy('service_code').execute())
    .map((s) => ({ code: s.service_code, counterMinutes: s.counter_minutes }));
  // A day before, so the estimate has recent service times to learn from.
  await replayDay(planDay({ date: '2026-11-23', seed: 7, citizens: 120, windows: WINDOWS, services }), driver());
  const day = await replayDay(planDay({ date: '2026-11-24', seed: 11, citizens: 260, windows: WINDOWS, services }), driver());
  const called = day.tickets.filter((x) => x.calledAt !== null && x.estimatedWaitMinutes !== null);
  assert.ok(called.length > 240);
  const actual = called.map((x) => (x.calledAt! - x.issuedAt) / 60_000);
  const est = called.map((x) => x.estimatedWaitMinutes!);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const mae = mean(actual.map((a, i) => Math.abs(a - est[i]!)));
  const bias = mean(actual.map((a, i) => est[i]! - a));
  const ma = mean(actual);
  const me = mean(est);
  const corr = mean(actual.map((a, i) => (a - ma) * (est[i]! - me))) / Math.sqrt(mean(actual.map((a) => (a - ma) ** 2)) * mean(est.map((e) => (e - me) ** 2)));
  console.log(`replayed day: ${called.length} tickets, mean actual wait ${ma.toFixed(1)} min, mean estimate ${me.toFixed(1)} min, MAE ${mae.toFixed(1)} min, bias ${bias.toFixed(1)} min, correlation ${corr.toFixed(2)}`);
  assert.ok(mae <= Math.max(3, 0.4 * ma), `MAE ${mae.toFixed(1)} against a mean wait of ${ma.toFixed(1)}`);
  assert.ok(Math.abs(bias) <= Math.max(2, 0.2 * ma), `bias ${bias.toFixed(1)}`);
  assert.ok(corr >= 0.8, `correlation ${corr.toFixed(2)}`);
  // The daily report agrees with the replay.
  const report = await service.getDailyReport(t.ctx, { ...staff, roles: ['center_manager'] }, CENTER, '2026-11-24');
  assert.equal(report.total.served, day.served);
  assert.equal(report.total.noShows, day.noShows);
  assert.ok(Math.abs(report.total.avgWaitMinutes! - ma) < 0.1);
});
