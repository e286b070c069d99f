import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body } from '../../test/app.ts';
import { CENTER, createQueueTestApp, SVC, withTicketId, type QueueTestApp } from './test-kit.ts';

// Checking in late: an appointment holder who comes after check-in has closed (the slot's end plus
// the 15 minutes' grace, when the appointment becomes a no-show) gets 409 and is told to take a
// normal ticket, whether or not the no-show sweep has marked the appointment yet. Within the grace
// the code is honoured.

let t: QueueTestApp;
let manager: string;
let citizen: string;
before(async () => {
  t = await createQueueTestApp();
  manager = await t.token('center_manager');
  citizen = await t.token('citizen', null);
});
after(() => t.close());

type Issued = { ticket: { id: number; number: string; priority: string }; surveyToken: string };
type ErrorOut = { code: string; message: string; details: { field: string; code: string; message: string }[] };
const at = (hhmm: string) => `2026-11-24T${String(Number(hhmm.slice(0, 2)) - 4).padStart(2, '0')}:${hhmm.slice(3)}:00.000Z`; // Baku time → UTC

async function book(startsAt: string) {
  const r = await t.as(citizen, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: SVC.labour, startsAt });
  assert.equal(r.statusCode, 201, r.body);
  return body<{ confirmation: string }>(r).confirmation;
}
const checkIn = (confirmation: string, lang?: string) =>
  t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/check-in`, { confirmation }, lang ? { 'accept-language': lang } : {});
const kiosk = async (serviceCode: string) => {
  const r = await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode });
  assert.equal(r.statusCode, 201, r.body);
  return withTicketId(t, body<Issued>(r));
};
const callNext = async (windowNo: number) => body<{ ticket: { id: number } | null }>(await t.as(manager, 'POST', `/api/queue/centers/${CENTER}/windows/${windowNo}/call-next`));
const act = (id: number, action: string) => t.as(manager, 'POST', `/api/queue/tickets/${id}/${action}`, {});
const appointment = (code: string) => t.ctx.db.selectFrom('queue_appointments').select(['status', 'starts_at']).where('confirmation_code', '=', code).executeTakeFirstOrThrow();
const slotBooked = async (startsAt: string) => (await t.ctx.db.selectFrom('queue_slots').select('booked').where('center_code', '=', CENTER)
  .where('service_code', '=', SVC.labour).where('starts_at', '=', new Date(startsAt)).executeTakeFirstOrThrow()).booked;
const waiting = async () => (await t.ctx.db.selectFrom('queue_tickets').select('ticket_id').where('center_code', '=', CENTER).where('status', '=', 'waiting').execute()).length;
async function drain() {
  for (;;) {
    const c = await callNext(1);
    if (!c.ticket) return;
    await act(c.ticket.id, 'serve');
    await act(c.ticket.id, 'finish');
  }
}

describe('checking in after the grace period', () => {
  test('refused with 409 in the caller\'s language before the sweep has marked it; the citizen takes a normal ticket and waits their turn', async () => {
    t.setNow(at('09:00'));
    const code = await book(at('10:30')); // a 15-minute slot: check-in closes at 11:00
    t.setNow(at('10:50'));
    const early = await kiosk(SVC.labour);

    t.setNow(at('11:01'));
    assert.equal((await appointment(code)).status, 'booked', 'no sweep has run: still booked');
    assert.equal(await slotBooked(at('10:30')), 1);
    const before = await waiting();
    const refused = await checkIn(code);
    assert.equal(refused.statusCode, 409, refused.body);
    const e = body<ErrorOut>(refused);
    assert.equal(e.code, 'CONFLICT');
    assert.equal(e.message, `Ziddiyyət: ${code} kodlu 10:30 qəbulu buraxılıb: qeydiyyat 11:00-dək mümkün idi. Zəhmət olmasa, kioskdan adi növbə talonu götürün`);
    assert.deepEqual(e.details.map((d) => [d.field, d.code]), [['/confirmation', 'appointment_missed']]);
    assert.equal(e.details[0]!.message, e.message.replace('Ziddiyyət: ', ''));
    assert.equal(await waiting(), before, 'no ticket was issued');
    // Refusing it marked it at once and gave its place back.
    assert.equal((await appointment(code)).status, 'no_show');
    assert.equal(await slotBooked(at('10:30')), 0);

    // Once marked, the same answer (and in the caller's language).
    const ru = body<ErrorOut>(await checkIn(code, 'ru'));
    assert.equal(ru.code, 'CONFLICT');
    assert.equal(ru.message, `Конфликт: запись ${code} на 10:30 пропущена: отметиться можно было до 11:00. Пожалуйста, возьмите обычный талон в киоске`);
    assert.equal(ru.details[0]!.code, 'appointment_missed');
    const en = body<ErrorOut>(await checkIn(code, 'en'));
    assert.equal(en.message, `Conflict: the appointment ${code} at 10:30 was missed: check-in closed at 11:00. Please take a normal ticket at the kiosk`);
    // Staff at the door get the same answer.
    const staff = await t.as(manager, 'POST', `/api/queue/centers/${CENTER}/check-in`, { confirmation: code }, { 'accept-language': 'en' });
    assert.equal(staff.statusCode, 409);
    assert.equal(body<ErrorOut>(staff).details[0]!.code, 'appointment_missed');

    // A normal ticket: behind the walk-in who came before.
    const late = await kiosk(SVC.labour);
    assert.equal(late.ticket.priority, 'normal');
    assert.equal((await callNext(1)).ticket!.id, early.ticket.id);
    await act(early.ticket.id, 'serve');
    await act(early.ticket.id, 'finish');
    assert.equal((await callNext(1)).ticket!.id, late.ticket.id);
    await act(late.ticket.id, 'serve');
    await act(late.ticket.id, 'finish');
  });

  test('within the grace period the code is honoured up to the minute the sweep would mark it, and goes first once due', async () => {
    await drain();
    t.setNow(at('11:00'));
    const code = await book(at('12:00')); // closes at 12:30
    t.setNow(at('12:20'));
    const walkIn = await kiosk(SVC.labour);
    t.setNow(at('12:30'));
    // The sweep (the hall reads it) and check-in agree at the boundary: not yet a no-show.
    assert.equal((await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/hall`)).statusCode, 200);
    assert.equal((await appointment(code)).status, 'booked');
    const ok = await checkIn(code);
    assert.equal(ok.statusCode, 201, ok.body);
    const ticket = (await withTicketId(t, body<Issued>(ok))).ticket;
    assert.equal(ticket.priority, 'appointment');
    assert.equal((await appointment(code)).status, 'checked_in');
    assert.equal((await callNext(1)).ticket!.id, ticket.id, 'a due appointment is called first');
    await act(ticket.id, 'serve');
    await act(ticket.id, 'finish');
    assert.equal((await callNext(1)).ticket!.id, walkIn.ticket.id);
    await act(walkIn.ticket.id, 'serve');
    await act(walkIn.ticket.id, 'finish');
  });

  test('a citizen called and marked a no-show who comes back with the code is sent to take a normal ticket too', async () => {
    await drain();
    t.setNow(at('12:40'));
    const code = await book(at('13:30')); // closes at 14:00
    t.setNow(at('13:25'));
    const ticket = (await withTicketId(t, body<Issued>(await checkIn(code)))).ticket;
    assert.equal((await callNext(1)).ticket!.id, ticket.id);
    t.setNow(at('13:35'));
    assert.equal((await act(ticket.id, 'no-show')).statusCode, 200);
    assert.equal((await appointment(code)).status, 'no_show');
    t.setNow(at('13:40'));
    const again = await checkIn(code, 'en');
    assert.equal(again.statusCode, 409);
    const e = body<ErrorOut>(again);
    assert.equal(e.message, `Conflict: the appointment ${code} at 13:30 was missed. Please take a normal ticket at the kiosk`);
    assert.equal(e.details[0]!.code, 'appointment_missed');
  });

  test('a code from an earlier day names the day it was for', async () => {
    await drain();
    t.setNow(at('13:45'));
    const code = await book(at('15:00'));
    t.setNow('2026-11-25T05:30:00.000Z'); // the next morning, 09:30; nothing has swept the 24th
    const e = body<ErrorOut>(await checkIn(code, 'en'));
    assert.equal(e.code, 'CONFLICT');
    assert.equal(e.message, `Conflict: the appointment ${code} at 2026-11-24 15:00 was missed: check-in closed at 2026-11-24 15:30. Please take a normal ticket at the kiosk`);
    assert.equal((await appointment(code)).status, 'no_show');
  });
});
