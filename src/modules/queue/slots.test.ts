import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body } from '../../test/app.ts';
import { CENTER, createQueueTestApp, MORNING, SVC, type QueueTestApp } from './test-kit.ts';
import { APPOINTMENT_SHARE, slotCapacity } from './service.ts';

// Appointment slot capacity follows the open windows during the day: closing a window or taking
// a skill away shrinks the free slots of the rest of the day, reopening gives them back; bookings
// already made stay valid, and no new booking goes above the new capacity, also under contention.

let t: QueueTestApp;
let manager: string;
let citizen: string;
before(async () => {
  t = await createQueueTestApp();
  manager = await t.token('center_manager');
  citizen = await t.token('citizen', null);
  await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/windows`); // windows and services in place
});
after(() => t.close());

const DAY = MORNING.slice(0, 10); // 10:00 in Baku
const TOMORROW = '2026-11-25';
type Slot = { startsAt: string; minutes: number; free: number };

/** Opens exactly windows 1..n with `skills` (straight in the database, before the day's slots exist). */
async function openWindows(n: number, skills: string[]) {
  await t.ctx.db.updateTable('queue_windows').set({ is_open: false }).where('center_code', '=', CENTER).execute();
  await t.ctx.db.updateTable('queue_windows').set({ is_open: true, skills }).where('center_code', '=', CENTER).where('window_no', '<=', n).execute();
}
const patchWindow = async (windowNo: number, patch: { isOpen?: boolean; skills?: string[] }) => {
  const r = await t.as(manager, 'PATCH', `/api/queue/centers/${CENTER}/windows/${windowNo}`, patch);
  assert.equal(r.statusCode, 200, r.body);
};
const freeSlots = async (service: string, date = DAY) => {
  const r = await t.as(undefined, 'GET', `/api/queue/slots?service=${service}&date=${date}&center=${CENTER}`);
  assert.equal(r.statusCode, 200, r.body);
  return new Map((body<{ centers: { slots: Slot[] }[] }>(r).centers[0]?.slots ?? []).map((s) => [s.startsAt, s.free]));
};
const book = (service: string, startsAt: string) => t.as(citizen, 'POST', '/api/queue/appointments', { centerCode: CENTER, serviceCode: service, startsAt });
async function booked(service: string, startsAt: string) {
  const r = await book(service, startsAt);
  assert.equal(r.statusCode, 201, r.body);
  return body<{ confirmation: string }>(r).confirmation;
}
const slotRow = (service: string, startsAt: string) => t.ctx.db.selectFrom('queue_slots').select(['capacity', 'booked', 'kept_over_capacity'])
  .where('center_code', '=', CENTER).where('service_code', '=', service).where('starts_at', '=', new Date(startsAt)).executeTakeFirstOrThrow();
const windowRange = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('slot capacity follows the open windows', () => {
  test('the capacity rule: a share of the open windows with the skill, at least one while any', () => {
    assert.equal(APPOINTMENT_SHARE, 0.25);
    assert.deepEqual([0, 1, 3, 4, 7, 8, 16, 50].map(slotCapacity), [0, 1, 1, 1, 1, 2, 4, 12]);
  });

  test('closing windows during the day shrinks the rest of the day; bookings made stay; reopening gives the places back', async () => {
    t.setNow(MORNING);
    await openWindows(8, [SVC.labour, SVC.ref]);
    const before = await freeSlots(SVC.labour);
    const starts = [...before.keys()];
    assert.ok(starts.length > 12);
    assert.ok(starts.every((s) => s > MORNING), 'only slots not yet begun are offered');
    assert.ok([...before.values()].every((f) => f === 2), 'eight open windows: two appointments a slot');
    const [a, b, c] = [starts[4]!, starts[8]!, starts[12]!];
    const inA = [await booked(SVC.labour, a), await booked(SVC.labour, a)];
    await booked(SVC.labour, b);
    assert.equal((await book(SVC.labour, a)).statusCode, 409, 'full');
    const tomorrow = await freeSlots(SVC.labour, TOMORROW);
    const begun = (await t.ctx.db.selectFrom('queue_slots').select('starts_at').where('center_code', '=', CENTER).where('service_code', '=', SVC.labour)
      .where('starts_at', '<=', new Date(MORNING)).where('starts_at', '>=', new Date(`${DAY}T00:00:00+04:00`)).orderBy('starts_at', 'desc').executeTakeFirstOrThrow()).starts_at.toISOString();

    // The manager closes four of the eight windows at 10:00.
    for (const w of windowRange(5, 8)) await patchWindow(w, { isOpen: false });
    const after = await freeSlots(SVC.labour);
    assert.equal(after.has(a), false, 'two booked, capacity now one: not offered');
    assert.equal(after.has(b), false, 'one booked, capacity one: full');
    assert.equal(after.get(c), 1);
    assert.ok([...after.values()].every((f) => f === 1));
    const refused = await book(SVC.labour, a);
    assert.equal(refused.statusCode, 409);
    assert.match(body<{ message: string }>(refused).message, /fully booked/);
    assert.equal((await book(SVC.labour, b)).statusCode, 409);
    assert.deepEqual(await slotRow(SVC.labour, a), { capacity: 1, booked: 2, kept_over_capacity: 1 });
    for (const code of inA) assert.equal(body<{ status: string }>(await t.as(undefined, 'GET', `/api/queue/appointments/${code}`)).status, 'booked', 'bookings made stay valid');
    // A slot that has begun and the slots of later days keep their capacity.
    assert.equal((await slotRow(SVC.labour, begun)).capacity, 2);
    assert.deepEqual(await freeSlots(SVC.labour, TOMORROW), tomorrow);

    // A cancellation in the overfull slot brings it down to its capacity, not below: still no place.
    assert.equal((await t.as(undefined, 'POST', `/api/queue/appointments/${inA[0]}/cancel`)).statusCode, 200);
    assert.deepEqual(await slotRow(SVC.labour, a), { capacity: 1, booked: 1, kept_over_capacity: 0 });
    assert.equal((await book(SVC.labour, a)).statusCode, 409);

    // Reopened at 11:00: the places come back for what is left of the day.
    t.setNow('2026-11-24T07:00:00Z');
    for (const w of windowRange(5, 8)) await patchWindow(w, { isOpen: true });
    const reopened = await freeSlots(SVC.labour);
    assert.equal(reopened.get(a), 1);
    assert.equal(reopened.get(b), 1);
    assert.equal(reopened.get(c), 2);
    await booked(SVC.labour, a);
    assert.deepEqual(await slotRow(SVC.labour, a), { capacity: 2, booked: 2, kept_over_capacity: 0 });
    t.setNow(MORNING);
  });

  test('taking a skill away from windows shrinks the slots of that service only; none left serving it, none offered', async () => {
    t.setNow(MORNING);
    await openWindows(8, [SVC.disability, SVC.ref]);
    const starts = [...(await freeSlots(SVC.disability)).keys()];
    const refBefore = await freeSlots(SVC.ref);
    const a = starts[2]!;
    await booked(SVC.disability, a);
    for (const w of windowRange(1, 4)) await patchWindow(w, { skills: [SVC.ref] });
    assert.ok([...(await freeSlots(SVC.disability)).values()].every((f) => f === 1), 'four windows still serve it');
    assert.equal((await freeSlots(SVC.disability)).has(a), false);
    for (const w of windowRange(5, 8)) await patchWindow(w, { skills: [SVC.ref] });
    assert.equal((await freeSlots(SVC.disability)).size, 0, 'no window serves it: no slot');
    assert.deepEqual(await slotRow(SVC.disability, a), { capacity: 0, booked: 1, kept_over_capacity: 1 });
    assert.deepEqual(await freeSlots(SVC.ref), refBefore, 'the other service keeps its places');
    for (const w of windowRange(1, 8)) await patchWindow(w, { skills: [SVC.disability, SVC.ref] });
    assert.equal((await freeSlots(SVC.disability)).get(a), 1);
  });
});

describe('capacity under contention', () => {
  test('managers closing windows at once leave the capacity the windows finally give; concurrent bookings never go above it', async () => {
    t.setNow(MORNING);
    // 16 open windows serve the service: four a slot (the day's slots exist already: a change
    // through the API brings them in line).
    await openWindows(16, [SVC.ref, SVC.labour, SVC.disability]);
    await patchWindow(1, { isOpen: true });
    const free = await freeSlots(SVC.ref, DAY);
    const starts = [...free.keys()];
    const [a, b] = [starts[6]!, starts[10]!];
    assert.equal(free.get(a), 4);
    await booked(SVC.ref, a);
    await booked(SVC.ref, a);
    await booked(SVC.ref, a);

    // Twelve windows closed at the same moment by concurrent requests: 4 open, capacity 1.
    await Promise.all(windowRange(5, 16).map((w) => patchWindow(w, { isOpen: false })));
    assert.deepEqual(await slotRow(SVC.ref, a), { capacity: 1, booked: 3, kept_over_capacity: 2 });
    assert.deepEqual(await slotRow(SVC.ref, b), { capacity: 1, booked: 0, kept_over_capacity: 0 });

    // Forty citizens at once on a slot with one place left, and on the overfull one.
    const onB = await Promise.all(Array.from({ length: 20 }, () => book(SVC.ref, b)));
    const onA = await Promise.all(Array.from({ length: 20 }, () => book(SVC.ref, a)));
    assert.equal(onB.filter((r) => r.statusCode === 201).length, 1);
    assert.ok(onB.every((r) => r.statusCode === 201 || r.statusCode === 409));
    assert.equal(onA.filter((r) => r.statusCode === 201).length, 0);
    assert.deepEqual(await slotRow(SVC.ref, b), { capacity: 1, booked: 1, kept_over_capacity: 0 });

    // Bookings racing windows that close and reopen: whatever the interleaving, a slot never
    // holds more new bookings than its capacity at the time, and ends with the capacity the
    // final windows give.
    const c = starts[14]!;
    const racing = await Promise.all([
      ...Array.from({ length: 16 }, () => book(SVC.ref, c)),
      ...windowRange(5, 8).map((w) => patchWindow(w, { isOpen: true })),
    ]);
    const row = await slotRow(SVC.ref, c);
    const ok = racing.filter((r) => r && r.statusCode === 201).length;
    assert.equal(row.capacity, slotCapacity(8));
    assert.equal(row.booked, ok);
    assert.ok(ok >= 1 && ok <= 2, `${ok} bookings`);
    assert.equal(row.kept_over_capacity, Math.max(0, row.booked - row.capacity));

    // The database refuses a new booking above capacity even written directly.
    await assert.rejects(t.ctx.db.updateTable('queue_slots').set((eb) => ({ booked: eb('booked', '+', 1) }))
      .where('center_code', '=', CENTER).where('service_code', '=', SVC.ref).where('starts_at', '=', new Date(a)).execute(), /queue_slots_not_overbooked/);
  });

  test('moves in opposite directions and window changes at the same time never deadlock', async () => {
    t.setNow(MORNING);
    const starts = [...(await freeSlots(SVC.labour)).keys()];
    const [x, y] = [starts[starts.length - 2]!, starts[starts.length - 1]!];
    const toX = [await booked(SVC.labour, y)];
    const toY = [await booked(SVC.labour, x)];
    const move = (code: string, startsAt: string) => t.as(undefined, 'POST', `/api/queue/appointments/${code}/move`, { startsAt });
    for (let round = 0; round < 6; round++) {
      const [from, to] = round % 2 === 0 ? [x, y] : [y, x];
      const rs = await Promise.all([
        ...toX.map((c) => move(c, from)), ...toY.map((c) => move(c, to)),
        t.as(manager, 'PATCH', `/api/queue/centers/${CENTER}/windows/8`, { isOpen: round % 2 === 0 }),
      ]);
      for (const r of rs) assert.ok(r.statusCode === 200 || r.statusCode === 409, `${r.statusCode} ${r.body}`);
      const rows = [await slotRow(SVC.labour, x), await slotRow(SVC.labour, y)];
      for (const row of rows) assert.equal(row.kept_over_capacity, Math.max(0, row.booked - row.capacity));
    }
  });
});
