import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body } from '../../test/app.ts';
import { createCitizen, createUser } from '../../test/factories.ts';
import type { Role } from '../../platform/context.ts';
import { CENTER, createQueueTestApp, MORNING, SVC, withTicketId, type QueueTestApp } from './test-kit.ts';

// Rosters restricting the windows, a citizen's own appointments, operator names in the report,
// the hall's last event id, and appointments missed without a check-in.

let t: QueueTestApp;
let manager: string;
before(async () => {
  t = await createQueueTestApp();
  manager = await t.token('center_manager');
});
after(() => t.close());

const DAY = MORNING.slice(0, 10);
type Issued = { ticket: { id: number; number: string }; surveyToken: string };

/** A user of the given role with a token (a new one each time, unlike t.token). */
async function staff(role: Role, displayName: string, extra: { citizenId?: number; centerCode?: string | null } = {}) {
  const u = await createUser(t.ctx.db, { roles: [role], centerCode: extra.centerCode === undefined ? CENTER : extra.centerCode, displayName, citizenId: extra.citizenId ?? null });
  const r = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { username: u.username, password: u.password } });
  return { userId: u.user_id, token: (r.json() as { token: string }).token };
}
const kiosk = async (serviceCode: string) => {
  const r = await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode });
  assert.equal(r.statusCode, 201, r.body);
  return withTicketId(t, body<Issued>(r));
};
const callNext = (token: string, windowNo: number) => t.as(token, 'POST', `/api/queue/centers/${CENTER}/windows/${windowNo}/call-next`);
const act = (token: string, id: number, action: string) => t.as(token, 'POST', `/api/queue/tickets/${id}/${action}`, {});
const setRoster = async (date: string, entries: { windowNo: number; userId: string }[]) => {
  const r = await t.as(manager, 'PUT', `/api/queue/centers/${CENTER}/roster/${date}`, { entries });
  assert.equal(r.statusCode, 200, r.body);
};

describe('rosters restrict the windows', () => {
  test('without a roster for the day anyone of the center calls anywhere; with one, only the rostered operator (managers exempt)', async () => {
    const ana = await staff('operator', 'Ana Operator');
    const bob = await staff('operator', 'Bob Operator');
    // A roster for another day changes nothing today.
    await setRoster('2026-11-25', [{ windowNo: 21, userId: ana.userId }]);
    const free = await kiosk(SVC.ref);
    const c0 = await callNext(bob.token, 21);
    assert.equal(c0.statusCode, 200, c0.body);
    assert.equal(body<Issued>(c0).ticket.id, free.ticket.id);
    assert.equal((await act(bob.token, free.ticket.id, 'serve')).statusCode, 200);
    assert.equal((await act(bob.token, free.ticket.id, 'finish')).statusCode, 200);

    await setRoster(DAY, [{ windowNo: 21, userId: ana.userId }]);
    const a = await kiosk(SVC.ref);
    const refused = await callNext(bob.token, 21);
    assert.equal(refused.statusCode, 403, refused.body);
    const e = body<{ code: string; details: { field: string; code: string; message: string }[] }>(refused);
    assert.equal(e.code, 'FORBIDDEN');
    assert.deepEqual(e.details[0], { field: '/windowNo', code: 'not_rostered', message: `you are not on the roster of ${CENTER} on ${DAY}` });
    const wrong = await callNext(ana.token, 22);
    assert.equal(wrong.statusCode, 403);
    assert.match(body<{ details: { message: string }[] }>(wrong).details[0]!.message, /rostered to window 21, not window 22/);
    assert.equal(body<{ waiting: number }>(await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/hall`)).waiting, 1, 'a refused call changes nothing');

    const ok = await callNext(ana.token, 21);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(body<Issued>(ok).ticket.id, a.ticket.id);
    // Acting on the ticket at window 21 is the rostered operator's too.
    assert.equal((await act(bob.token, a.ticket.id, 'serve')).statusCode, 403);
    assert.equal((await act(ana.token, a.ticket.id, 'serve')).statusCode, 200);
    assert.equal((await act(ana.token, a.ticket.id, 'finish')).statusCode, 200);

    // Managers and admins are exempt.
    const b = await kiosk(SVC.ref);
    const m = await callNext(manager, 22);
    assert.equal(m.statusCode, 200, m.body);
    assert.equal(body<Issued>(m).ticket.id, b.ticket.id);
    assert.equal((await act(manager, b.ticket.id, 'serve')).statusCode, 200);
    assert.equal((await act(manager, b.ticket.id, 'finish')).statusCode, 200);

    await setRoster(DAY, []);
    assert.equal((await callNext(bob.token, 21)).statusCode, 200, 'an emptied roster lifts the restriction');
  });
});

describe('the daily report and the hall', () => {
  test('the report names operators by their display name', async () => {
    const op = await staff('operator', 'Leyla Məmmədova');
    const a = await kiosk(SVC.labour);
    assert.equal(body<Issued>(await callNext(op.token, 30)).ticket.id, a.ticket.id);
    await act(op.token, a.ticket.id, 'serve');
    await act(op.token, a.ticket.id, 'finish');
    const report = body<{ byOperator: { operatorUserId: string; operatorName: string | null; served: number }[] }>(
      await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/report?date=${DAY}`));
    const row = report.byOperator.find((r) => r.operatorUserId === op.userId)!;
    assert.equal(row.operatorName, 'Leyla Məmmədova');
    assert.equal(row.served, 1);
    assert.ok(report.byOperator.every((r) => typeof r.operatorName === 'string'));
  });

  test('the hall carries the id of the last event, to follow the stream from', async () => {
    const h0 = body<{ lastEventId: number }>(await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/hall`));
    const board = body<{ lastEventId: number }>(await t.as(undefined, 'GET', `/api/queue/centers/${CENTER}/board`));
    assert.ok(h0.lastEventId > 0);
    assert.equal(h0.lastEventId, board.lastEventId);
    await kiosk(SVC.disability);
    const h1 = body<{ lastEventId: number; waiting: number }>(await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/hall`));
    assert.ok(h1.lastEventId > h0.lastEventId);
    const ev = await t.ctx.db.selectFrom('queue_events').select((eb) => eb.fn.max('event_id').as('m')).where('center_code', '=', CENTER).executeTakeFirstOrThrow();
    assert.equal(h1.lastEventId, Number(ev.m));
    const c = body<Issued>(await callNext(manager, 31));
    await act(manager, c.ticket.id, 'serve');
    await act(manager, c.ticket.id, 'finish');
  });
});

describe('appointments', () => {
  test('a citizen lists their own appointments: upcoming and recent, with center, service and code', async () => {
    t.setNow('2026-11-24T05:00:00Z');
    const c = await createCitizen(t.ctx.db);
    const me = await staff('citizen', 'Citizen', { citizenId: c.citizen_id, centerCode: null });
    const other = await staff('citizen', 'Other', { citizenId: (await createCitizen(t.ctx.db)).citizen_id, centerCode: null });
    const book = async (token: string, startsAt: string) => {
      const r = await t.as(token, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt });
      assert.equal(r.statusCode, 201, r.body);
      return body<{ confirmation: string }>(r).confirmation;
    };
    const soon = await book(me.token, '2026-11-25T06:00:00Z');
    const later = await book(me.token, '2026-11-26T07:00:00Z');
    const dropped = await book(me.token, '2026-11-25T08:00:00Z');
    await t.as(undefined, 'POST', `/api/queue/appointments/${dropped}/cancel`);
    await book(other.token, '2026-11-25T06:00:00Z');

    const r = await t.as(me.token, 'GET', '/api/queue/appointments/mine');
    assert.equal(r.statusCode, 200, r.body);
    const mine = body<{ upcoming: { confirmation: string; centerCode: string; centerName: { en: string }; serviceName: { en: string }; startsAt: string; status: string }[]; recent: { confirmation: string; status: string }[] }>(r);
    assert.deepEqual(mine.upcoming.map((a) => a.confirmation), [soon, later]);
    assert.equal(mine.upcoming[0]!.centerCode, CENTER);
    assert.ok(mine.upcoming[0]!.centerName.en.length > 0 && mine.upcoming[0]!.serviceName.en.length > 0);
    assert.equal(mine.upcoming[0]!.startsAt, '2026-11-25T06:00:00.000Z');
    assert.deepEqual(mine.recent.map((a) => [a.confirmation, a.status]), [[dropped, 'cancelled']]);
    assert.equal((await t.as(manager, 'GET', '/api/queue/appointments/mine')).statusCode, 403);
    assert.equal((await t.as(undefined, 'GET', '/api/queue/appointments/mine')).statusCode, 401);
    t.setNow(MORNING);
  });

  test('a booked appointment not checked in 15 minutes after its slot ends becomes a no-show, once, and counts in the report', async () => {
    t.setNow('2026-11-24T05:00:00Z'); // 09:00 in Baku
    const c = await createCitizen(t.ctx.db);
    const me = await staff('citizen', 'Citizen', { citizenId: c.citizen_id, centerCode: null });
    const startsAt = '2026-11-24T06:30:00.000Z'; // 10:30, a 15-minute slot for this service
    const booked = await t.as(me.token, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt });
    assert.equal(booked.statusCode, 201, booked.body);
    const code = body<{ confirmation: string }>(booked).confirmation;
    const slot = () => t.ctx.db.selectFrom('queue_slots').select(['booked', 'minutes']).where('center_code', '=', CENTER).where('service_code', '=', SVC.labour)
      .where('starts_at', '=', new Date(startsAt)).executeTakeFirstOrThrow();
    assert.equal((await slot()).minutes, 15);
    assert.equal((await slot()).booked, 1);
    const report = async () => body<{ total: { noShows: number }; byService: { serviceCode: string; noShows: number }[] }>(
      await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/report?date=${DAY}`));
    const before = await report();

    // 10:59: the slot ended at 10:45, within the 15 minutes' grace — still booked.
    t.setNow('2026-11-24T06:59:00Z');
    assert.equal((await report()).total.noShows, before.total.noShows);
    assert.equal(body(await t.as(undefined, 'GET', `/api/queue/appointments/${code}`)).status, 'booked');

    // 11:01: a no-show, counted once however often the report is read.
    t.setNow('2026-11-24T07:01:00Z');
    const after = await report();
    assert.equal(after.total.noShows, before.total.noShows + 1);
    const svcNoShows = (r: typeof after) => r.byService.find((s) => s.serviceCode === SVC.labour)?.noShows ?? 0;
    assert.equal(svcNoShows(after), svcNoShows(before) + 1);
    assert.equal((await report()).total.noShows, after.total.noShows);
    body(await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/hall`));
    assert.equal((await report()).total.noShows, after.total.noShows);
    assert.equal(body(await t.as(undefined, 'GET', `/api/queue/appointments/${code}`)).status, 'no_show');
    assert.equal((await slot()).booked, 0, 'the missed appointment gives back its unit of the slot');
    assert.equal((await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/check-in`, { confirmation: code })).statusCode, 409);
    const mine = body<{ recent: { confirmation: string; status: string }[] }>(await t.as(me.token, 'GET', '/api/queue/appointments/mine'));
    assert.deepEqual(mine.recent.map((a) => [a.confirmation, a.status]), [[code, 'no_show']]);
    t.setNow(MORNING);
  });

  test('call-next marks overdue appointments too', async () => {
    t.setNow('2026-11-24T05:00:00Z');
    const c = await createCitizen(t.ctx.db);
    const me = await staff('citizen', 'Citizen', { citizenId: c.citizen_id, centerCode: null });
    const startsAt = '2026-11-24T08:00:00.000Z'; // 12:00
    const code = body<{ confirmation: string }>(await t.as(me.token, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt })).confirmation;
    t.setNow('2026-11-24T08:31:00Z'); // 12:31: slot ended 12:15, grace over at 12:30
    assert.equal((await callNext(manager, 32)).statusCode, 200);
    const a = await t.ctx.db.selectFrom('queue_appointments').select('status').where('confirmation_code', '=', code).executeTakeFirstOrThrow();
    assert.equal(a.status, 'no_show');
    t.setNow(MORNING);
  });
});
