import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body } from '../../test/app.ts';
import { createCitizen } from '../../test/factories.ts';
import { CENTER, createQueueTestApp, MORNING, SVC, withTicketId, type QueueTestApp } from './test-kit.ts';

let t: QueueTestApp;
let op: string;
let manager: string;
before(async () => {
  t = await createQueueTestApp();
  op = await t.token('operator');
  manager = await t.token('center_manager');
});
after(() => t.close());

type Issued = { ticket: { id: number; number: string; status: string; priority: string }; estimatedWaitMinutes: number | null; waitingAhead: number; surveyToken: string };
const kiosk = async (serviceCode: string, priority?: string) => {
  const r = await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode, ...(priority && { priority }) });
  assert.equal(r.statusCode, 201, r.body);
  return withTicketId(t, body<Issued>(r));
};
const callNext = async (windowNo: number, token = op) => t.as(token, 'POST', `/api/queue/centers/${CENTER}/windows/${windowNo}/call-next`);
const act = (id: number, action: string, payload: unknown = {}) => t.as(op, 'POST', `/api/queue/tickets/${id}/${action}`, payload);
const hall = async () => body<{ waiting: number; serving: number; called: number; windowsOpen: number; longestWaitMinutes: number }>(await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/hall`));

describe('tickets', () => {
  test('the kiosk issues numbered tickets per service group with an estimate; the operator calls, serves and finishes', async () => {
    const a = await kiosk(SVC.ref);
    const b = await kiosk(SVC.ref);
    const c = await kiosk(SVC.labour);
    assert.match(a.ticket.number, /^[A-Z]-001$/);
    assert.equal(b.ticket.number, `${a.ticket.number[0]}-002`);
    assert.notEqual(c.ticket.number[0], a.ticket.number[0]);
    assert.equal(c.ticket.number.slice(2), '001');
    assert.equal(b.waitingAhead, 1);
    assert.ok((b.estimatedWaitMinutes ?? -1) >= 0);

    const called = body<{ ticket: { id: number; status: string; windowNo: number } }>(await callNext(1));
    assert.equal(called.ticket.id, a.ticket.id);
    assert.equal(called.ticket.status, 'called');
    assert.equal(called.ticket.windowNo, 1);
    assert.equal((await act(a.ticket.id, 'recall')).statusCode, 200);
    assert.equal(body(await act(a.ticket.id, 'serve')).status, 'serving');
    t.setNow(new Date(Date.parse(MORNING) + 8 * 60_000));
    const done = body<{ status: string; calledAt: string; servingAt: string; finishedAt: string; recalls: number }>(await act(a.ticket.id, 'finish'));
    assert.equal(done.status, 'done');
    assert.equal(done.recalls, 1);
    assert.ok(done.calledAt && done.servingAt && done.finishedAt);
    t.setNow(MORNING);
    // drain
    for (const w of [1, 2]) {
      const r = body<{ ticket: { id: number } | null }>(await callNext(w));
      if (r.ticket) { await act(r.ticket.id, 'serve'); await act(r.ticket.id, 'finish'); }
    }
  });

  test('a kiosk retrying with the same Idempotency-Key gets the same slip, not a second ticket', async () => {
    const key = { 'idempotency-key': 'kiosk-slip-0001' };
    const first = await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode: SVC.ref }, key);
    const retry = await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode: SVC.ref }, key);
    assert.equal(retry.statusCode, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(body<Issued>(retry).surveyToken, body<Issued>(first).surveyToken);
    assert.equal(body<Issued>(retry).ticket.number, body<Issued>(first).ticket.number);
    assert.equal(body<{ waiting: number }>(await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/hall`)).waiting, 1);
    const c = body<{ ticket: { id: number } }>(await callNext(1));
    await act(c.ticket.id, 'serve');
    await act(c.ticket.id, 'finish');
  });

  test('actions out of order get 409 INVALID_TRANSITION with the current status, and change nothing', async () => {
    const a = await kiosk(SVC.ref);
    const serve = await act(a.ticket.id, 'serve');
    assert.equal(serve.statusCode, 409);
    const e = body<{ code: string; message: string; details: { field: string; code: string }[] }>(serve);
    assert.equal(e.code, 'INVALID_TRANSITION');
    assert.deepEqual(e.details[0], { field: '/status', code: 'waiting', message: `ticket ${a.ticket.number} is waiting` });
    assert.equal((await act(a.ticket.id, 'finish')).statusCode, 409);
    assert.equal((await act(a.ticket.id, 'no-show')).statusCode, 409);
    const before = body(await t.as(op, 'GET', `/api/queue/tickets/${a.ticket.id}`));
    assert.equal(before.status, 'waiting');
    await callNext(3);
    await act(a.ticket.id, 'serve');
    await act(a.ticket.id, 'finish');
    const again = await act(a.ticket.id, 'serve');
    assert.equal(again.statusCode, 409);
    assert.equal(body<{ details: { code: string }[] }>(again).details[0]!.code, 'done');
    const after = body(await t.as(op, 'GET', `/api/queue/tickets/${a.ticket.id}`));
    assert.equal(after.status, 'done');
    assert.equal(after.finishedAt, body(await t.as(op, 'GET', `/api/queue/tickets/${a.ticket.id}`)).finishedAt);
  });

  test('a window holding a ticket cannot call another; no-show frees it', async () => {
    const a = await kiosk(SVC.ref);
    await kiosk(SVC.ref);
    assert.equal(body<{ ticket: { id: number } }>(await callNext(4)).ticket.id, a.ticket.id);
    const busy = await callNext(4);
    assert.equal(busy.statusCode, 409);
    assert.equal(body(busy).code, 'CONFLICT');
    assert.equal(body(await act(a.ticket.id, 'no-show')).status, 'no_show');
    const next = body<{ ticket: { id: number } }>(await callNext(4));
    assert.notEqual(next.ticket.id, a.ticket.id);
    await act(next.ticket.id, 'serve');
    await act(next.ticket.id, 'finish');
  });

  test('priority: disability before elderly before normal; transfer keeps the place', async () => {
    const n = await kiosk(SVC.ref);
    const e = await kiosk(SVC.ref, 'elderly');
    const d = await kiosk(SVC.ref, 'disability');
    const order: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = body<{ ticket: { id: number } }>(await callNext(5));
      order.push(r.ticket.id);
      if (i === 0) {
        // transfer the first called (disability) ticket to window 6: only window 6 calls it next
        const tr = body<{ status: string; targetWindowNo: number }>(await act(r.ticket.id, 'transfer', { windowNo: 6 }));
        assert.equal(tr.status, 'waiting');
        assert.equal(tr.targetWindowNo, 6);
        const six = body<{ ticket: { id: number } }>(await callNext(6));
        assert.equal(six.ticket.id, r.ticket.id);
        await act(r.ticket.id, 'serve');
        await act(r.ticket.id, 'finish');
      } else {
        await act(r.ticket.id, 'serve');
        await act(r.ticket.id, 'finish');
      }
    }
    assert.deepEqual(order, [d.ticket.id, e.ticket.id, n.ticket.id]);
  });

  test('unknown or closed center, window or service: a clear 4xx', async () => {
    assert.equal((await t.as(undefined, 'POST', '/api/queue/centers/NOPE-1/kiosk/tickets', { serviceCode: SVC.ref })).statusCode, 404);
    const closed = await t.as(undefined, 'POST', '/api/queue/centers/GUBA-1/kiosk/tickets', { serviceCode: SVC.ref });
    assert.equal(closed.statusCode, 409);
    assert.match(body<{ message: string }>(closed).message, /under construction/);
    assert.equal((await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode: '00-00-00-00' })).statusCode, 404);
    assert.equal((await callNext(999)).statusCode, 404);
    assert.equal((await t.as(manager, 'PATCH', `/api/queue/centers/${CENTER}/windows/7`, { isOpen: false })).statusCode, 200);
    const c = await callNext(7);
    assert.equal(c.statusCode, 409);
    assert.match(body<{ message: string }>(c).message, /closed/);
    assert.equal((await t.as(manager, 'PATCH', `/api/queue/centers/${CENTER}/windows/7`, { skills: ['00-00-00-00'] })).statusCode, 400);
    assert.equal((await t.as(manager, 'PATCH', `/api/queue/centers/${CENTER}/windows/7`, { isOpen: true })).statusCode, 200);
    // an operator of another center may not act here
    const other = await t.token('operator', 'BAKU-2');
    assert.equal((await callNext(1, other)).statusCode, 403);
  });

  test('window skills route tickets: a window only calls services it serves', async () => {
    const wins = body<{ windowNo: number }[]>(await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/windows`));
    assert.equal(wins.length, 50, 'BAKU-1 has 50 windows in data/centers/centers.json');
    assert.equal((await t.as(manager, 'PATCH', `/api/queue/centers/${CENTER}/windows/8`, { skills: [SVC.labour] })).statusCode, 200);
    const r = await kiosk(SVC.ref);
    const l = await kiosk(SVC.labour);
    assert.equal(body<{ ticket: { id: number } }>(await callNext(8)).ticket.id, l.ticket.id);
    assert.equal(body<{ ticket: { id: number } }>(await callNext(9)).ticket.id, r.ticket.id);
    for (const id of [r.ticket.id, l.ticket.id]) { await act(id, 'serve'); await act(id, 'finish'); }
  });

  test('the operator sees the citizen and their open applications when a volunteer-issued ticket is called (audited)', async () => {
    const c = await createCitizen(t.ctx.db);
    const r = await t.as(op, 'POST', `/api/queue/centers/${CENTER}/tickets`, { serviceCode: SVC.ref, citizenId: c.citizen_id });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(body<Issued>(r).ticket.priority, 'normal');
    await t.ctx.db.insertInto('benefit_assignments').values({
      citizen_id: c.citizen_id, benefit_id: 'disability_allowance', subject_key: String(c.citizen_id), rule_version: 1, payment: 'monthly',
      amount_azn: 250, period_from: '2026-01-01', eval_date: '2026-01-01', parameters: JSON.stringify({}),
    }).execute();
    const called = body<{ ticket: { id: number; citizenId: number }; citizen: { id: number; fin: string }; openApplications: unknown[]; benefits: { kind: string; benefit: string; amountAzn: number }[] }>(await callNext(10));
    assert.equal(called.ticket.citizenId, c.citizen_id);
    assert.equal(called.citizen.fin, c.fin);
    assert.deepEqual(called.openApplications, []);
    assert.deepEqual(called.benefits.map((b) => [b.kind, b.benefit, b.amountAzn]), [['assignment', 'disability_allowance', 250]]);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('citizen_id', '=', c.citizen_id).where('action', '=', 'queue.call').execute();
    assert.equal(audit.length, 1);
    await act(called.ticket.id, 'serve');
    await act(called.ticket.id, 'finish', { applicationReference: 'DOST-2026-0000001' });
    assert.equal(body(await t.as(op, 'GET', `/api/queue/tickets/${called.ticket.id}`)).applicationReference, 'DOST-2026-0000001');
  });

});

describe('hall, board, wait times, surveys and the daily report', () => {
  test('hall and board show the live state; the public sees waiting times', async () => {
    const a = await kiosk(SVC.disability);
    t.setNow(new Date(Date.parse(MORNING) + 12 * 60_000));
    const h = await hall();
    assert.equal(h.waiting, 1);
    assert.ok(h.windowsOpen >= 49);
    assert.equal(h.longestWaitMinutes, 12);
    const board = body<{ lastEventId: number; waitingByLetter: Record<string, number> }>(await t.as(undefined, 'GET', `/api/queue/centers/${CENTER}/board`));
    assert.ok(board.lastEventId > 0);
    assert.equal(board.waitingByLetter[a.ticket.number[0]!], 1);
    const waits = body<{ centerCode: string; waiting: number; estimatedWaitMinutes: number | null }[]>(await t.as(undefined, 'GET', '/api/queue/wait-times'));
    const mine = waits.find((w) => w.centerCode === CENTER)!;
    assert.equal(mine.waiting, 1);
    assert.ok(!waits.some((w) => w.centerCode === 'GUBA-1'), 'centers under construction are not listed');
    const menu = body<{ serviceCode: string; letter: string; waiting: number }[]>(await t.as(undefined, 'GET', `/api/queue/centers/${CENTER}/services`));
    assert.equal(menu.find((s) => s.serviceCode === SVC.disability)!.waiting, 1);
    const c = body<{ ticket: { id: number } }>(await callNext(11));
    await act(c.ticket.id, 'serve');
    await act(c.ticket.id, 'finish');
    t.setNow(MORNING);
  });

  test('one rating per served ticket through its link token; rolled up in the report', async () => {
    const a = await kiosk(SVC.ref);
    const early = await t.as(undefined, 'POST', `/api/queue/surveys/${a.surveyToken}`, { rating: 5 });
    assert.equal(early.statusCode, 409);
    const c = body<{ ticket: { id: number } }>(await callNext(12));
    assert.equal(c.ticket.id, a.ticket.id);
    await act(a.ticket.id, 'serve');
    await act(a.ticket.id, 'finish');
    const s = body<{ questions: { id: number }[]; answered: boolean }>(await t.as(undefined, 'GET', `/api/queue/surveys/${a.surveyToken}`));
    assert.equal(s.answered, false);
    assert.ok(s.questions.length >= 1);
    const ok = await t.as(undefined, 'POST', `/api/queue/surveys/${a.surveyToken}`, { rating: 5, comment: 'Çox sağ olun', answers: { [String(s.questions[0]!.id)]: true }, channel: 'kiosk' });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal((await t.as(undefined, 'POST', `/api/queue/surveys/${a.surveyToken}`, { rating: 1 })).statusCode, 409);
    assert.equal((await t.as(undefined, 'POST', `/api/queue/surveys/${a.surveyToken}`, { rating: 6 })).statusCode, 400);

    const report = body<{ total: { served: number; noShows: number; ratings: number; satisfiedPct: number; avgWaitMinutes: number; p90WaitMinutes: number }; byService: { serviceCode: string }[]; byOperator: unknown[] }>(
      await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/report?date=2026-11-24`));
    assert.ok(report.total.served >= 8);
    assert.equal(report.total.noShows, 1);
    assert.equal(report.total.ratings, 1);
    assert.equal(report.total.satisfiedPct, 100);
    assert.ok(report.byService.some((r) => r.serviceCode === SVC.labour));
    assert.equal(report.byOperator.length, 1);
    const sat = body<{ centers: { centerCode: string; responses: number }[] }>(await t.as(manager, 'GET', '/api/queue/satisfaction?from=2026-11-01&to=2026-11-30'));
    assert.deepEqual(sat.centers.map((x) => [x.centerCode, x.responses]), [[CENTER, 1]]);
  });

  test('managers configure their survey questions; rosters assign operators to windows', async () => {
    const q = await t.as(manager, 'PUT', `/api/queue/centers/${CENTER}/survey-questions`, { questions: [{ kind: 'rating', text: { az: 'Nəzakət?', ru: 'Вежливость?', en: 'Courtesy?' } }] });
    assert.equal(q.statusCode, 200, q.body);
    assert.equal(body<unknown[]>(q).length, 1);
    const user = (await t.ctx.db.selectFrom('users').select(['user_id', 'roles']).where('center_code', '=', CENTER).execute()).find((u) => u.roles.includes('operator'))!;
    const r = await t.as(manager, 'PUT', `/api/queue/centers/${CENTER}/roster/2026-11-24`, { entries: [{ windowNo: 1, userId: user.user_id }] });
    assert.equal(r.statusCode, 200, r.body);
    const dup = await t.as(manager, 'PUT', `/api/queue/centers/${CENTER}/roster/2026-11-24`, { entries: [{ windowNo: 1, userId: user.user_id }, { windowNo: 2, userId: user.user_id }] });
    assert.equal(dup.statusCode, 409);
    assert.deepEqual(body<{ entries: unknown[] }>(await t.as(op, 'GET', `/api/queue/centers/${CENTER}/roster/2026-11-24`)).entries, [{ windowNo: 1, userId: user.user_id }]);
    // Cleared again: with a roster for the day only rostered operators may call (see front-office.test.ts).
    assert.equal((await t.as(manager, 'PUT', `/api/queue/centers/${CENTER}/roster/2026-11-24`, { entries: [] })).statusCode, 200);
  });
});

describe('appointments', () => {
  test('free slots nearest first by district; book, move, cancel by code; check-in goes to the front once due', async () => {
    t.setNow('2026-11-24T05:00:00Z'); // 09:00 in Baku
    const slots = body<{ centers: { centerCode: string; servesDistrict: boolean; sameRegion: boolean; slots: { startsAt: string; free: number; minutes: number }[] }[] }>(
      await t.as(undefined, 'GET', `/api/queue/slots?service=${SVC.labour}&date=2026-11-24&district=BAK-NIZ`));
    assert.equal(slots.centers[0]!.centerCode, 'BAKU-3', 'the center serving Nizami comes first');
    assert.equal(slots.centers[0]!.servesDistrict, true);
    assert.ok(slots.centers.slice(1).every((c) => !c.servesDistrict));
    const baku1 = slots.centers.find((c) => c.centerCode === CENTER)!;
    assert.equal(baku1.slots[0]!.startsAt, '2026-11-24T05:00:00.000Z'.replace('05:00:00', '05:15:00'), 'slots start at opening time (the one already begun is not offered)');
    assert.equal(baku1.slots[0]!.minutes, 15);
    // weekends and holidays have no slots
    assert.deepEqual(body<{ centers: unknown[] }>(await t.as(undefined, 'GET', `/api/queue/slots?service=${SVC.labour}&date=2026-11-28`)).centers, []);
    assert.equal((await t.as(undefined, 'GET', `/api/queue/slots?service=00-00-00-00&date=2026-11-24`)).statusCode, 404);

    const citizenUser = await t.token('citizen', null);
    const slot = baku1.slots[2]!; // 09:45
    const booked = await t.as(citizenUser, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt: slot.startsAt });
    assert.equal(booked.statusCode, 201, booked.body);
    const code = body<{ confirmation: string }>(booked).confirmation;
    // A retry with the same Idempotency-Key gets the same booking and takes no second place.
    const key = { 'idempotency-key': 'book-retry-0001' };
    const first = await t.as(citizenUser, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt: baku1.slots[30]!.startsAt }, key);
    const retry = await t.as(citizenUser, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt: baku1.slots[30]!.startsAt }, key);
    assert.equal(retry.statusCode, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(body(retry).confirmation, body(first).confirmation);
    assert.equal((await t.as(citizenUser, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt: baku1.slots[31]!.startsAt }, key)).statusCode, 422);
    const seat = await t.ctx.db.selectFrom('queue_slots').select('booked').where('center_code', '=', CENTER).where('service_code', '=', SVC.labour).where('starts_at', '=', new Date(baku1.slots[30]!.startsAt)).executeTakeFirstOrThrow();
    assert.equal(seat.booked, 1);
    assert.equal((await t.as(citizenUser, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt: baku1.slots[3]!.startsAt }, { 'idempotency-key': '' })).statusCode, 400);
    assert.match(code, /^[A-Z2-9]{8}$/);
    assert.equal(body(await t.as(undefined, 'GET', `/api/queue/appointments/${code}`)).status, 'booked');
    const later = baku1.slots[3]!; // 10:00
    const moved = await t.as(undefined, 'POST', `/api/queue/appointments/${code}/move`, { startsAt: later.startsAt });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(body(moved).startsAt, later.startsAt);
    const again = body<{ centers: { centerCode: string; slots: { startsAt: string; free: number }[] }[] }>(await t.as(undefined, 'GET', `/api/queue/slots?service=${SVC.labour}&date=2026-11-24&center=${CENTER}`));
    assert.equal(again.centers[0]!.slots.find((s) => s.startsAt === later.startsAt)!.free, later.free - 1);
    assert.equal(again.centers[0]!.slots.find((s) => s.startsAt === slot.startsAt)!.free, slot.free);
    assert.equal((await t.as(undefined, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt: later.startsAt })).statusCode, 401);

    // A walk-in arrives first; the appointment holder checks in at 09:55 and is called first (due within 10 minutes).
    t.setNow('2026-11-24T05:50:00Z');
    for (let w = 1; w <= 50; w++) if (w !== 13) await t.as(manager, 'PATCH', `/api/queue/centers/${CENTER}/windows/${w}`, { isOpen: false });
    const walkIn = await kiosk(SVC.labour);
    t.setNow('2026-11-24T05:55:00Z');
    const checkIn = await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/check-in`, { confirmation: code });
    assert.equal(checkIn.statusCode, 201, checkIn.body);
    const appt = await withTicketId(t, body<Issued>(checkIn));
    assert.equal(appt.ticket.priority, 'appointment');
    assert.equal((await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/check-in`, { confirmation: code })).statusCode, 409);
    assert.equal((await t.as(undefined, 'POST', `/api/queue/appointments/${code}/cancel`)).statusCode, 409);
    assert.equal(body<{ ticket: { id: number } }>(await callNext(13)).ticket.id, appt.ticket.id);
    await act(appt.ticket.id, 'serve');
    await act(appt.ticket.id, 'finish');
    assert.equal(body<{ ticket: { id: number } }>(await callNext(13)).ticket.id, walkIn.ticket.id);
    await act(walkIn.ticket.id, 'serve');
    await act(walkIn.ticket.id, 'finish');
    for (let w = 1; w <= 50; w++) if (w !== 13) await t.as(manager, 'PATCH', `/api/queue/centers/${CENTER}/windows/${w}`, { isOpen: true });

    // Cancel frees the slot; a cancelled appointment cannot be moved or checked in.
    const b2 = body<{ confirmation: string }>(await t.as(citizenUser, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt: baku1.slots[20]!.startsAt }));
    assert.equal(body(await t.as(undefined, 'POST', `/api/queue/appointments/${b2.confirmation}/cancel`)).status, 'cancelled');
    assert.equal((await t.as(undefined, 'POST', `/api/queue/appointments/${b2.confirmation}/move`, { startsAt: baku1.slots[21]!.startsAt })).statusCode, 409);
    assert.equal((await t.as(undefined, 'GET', '/api/queue/appointments/ZZZZZZZZ')).statusCode, 404);
    // A slot in the past or not on the grid
    assert.equal((await t.as(citizenUser, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt: '2026-11-24T05:00:00Z' })).statusCode, 409);
    assert.equal((await t.as(citizenUser, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt: '2026-11-25T05:07:00Z' })).statusCode, 404);
    t.setNow(MORNING);
  });
});

// Last: it leaves two tickets waiting, which the counts above do not expect.
describe('kiosk identification', () => {
  test('a citizen who gives their FIN at the kiosk is linked to the ticket; an unknown FIN is not revealed', async () => {
    const c = await createCitizen(t.ctx.db);
    const known = await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode: SVC.ref, fin: c.fin });
    const unknown = await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode: SVC.ref, fin: '5ZZZZZ0' });
    assert.equal(known.statusCode, 201, known.body);
    assert.equal(unknown.statusCode, 201, 'the kiosk answers alike whether or not the FIN exists');
    assert.deepEqual(Object.keys(body(known)).sort(), Object.keys(body(unknown)).sort());
    const rows = await t.ctx.db.selectFrom('queue_tickets').select(['ticket_id', 'citizen_id'])
      .where('survey_token', 'in', [body<Issued>(known).surveyToken, body<Issued>(unknown).surveyToken]).orderBy('ticket_id').execute();
    assert.deepEqual(rows.map((r) => r.citizen_id), [c.citizen_id, null]);
    const bad = await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode: SVC.ref, fin: 'IOIOIOI' });
    assert.equal(bad.statusCode, 400);
  });
});
