import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Actor } from '../../platform/context.ts';
import { bakuDate } from '../../platform/calendar.ts';
import { createUser } from '../../test/factories.ts';
import { createQueueTestApp, CENTER, SVC, type QueueTestApp } from './test-kit.ts';
import * as service from './service.ts';
import { PRIORITY_RANK } from './repository.ts';
import type { Priority } from './schema.ts';

let t: QueueTestApp;
let staff: Actor;
let citizen: Actor;
before(async () => {
  t = await createQueueTestApp();
  const u = await createUser(t.ctx.db, { roles: ['operator'], centerCode: CENTER });
  staff = { userId: u.user_id, username: u.username, displayName: 'op', roles: ['operator'], citizenId: null, centerCode: CENTER, locale: 'en' };
  const c = await createUser(t.ctx.db, { roles: ['citizen'] });
  await service.getOpenCenter(t.ctx, CENTER); // windows and services in place before the tests reshape them
  citizen = { userId: c.user_id, username: c.username, displayName: 'c', roles: ['citizen'], citizenId: null, centerCode: null, locale: 'en' };
});
after(() => t.close());

const SERVICES: string[] = [SVC.ref, SVC.labour, SVC.disability];
const pg = () => t.database.kind === 'postgres';

describe('call next under concurrency', () => {
  let day = 0;
  test('many windows calling at once: never one ticket to two windows, never a skipped ticket, order rules kept', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.subarray(SERVICES, { minLength: 1 }), { minLength: 2, maxLength: 12 }),
      fc.array(fc.record({
        service: fc.constantFrom(...SERVICES),
        priority: fc.constantFrom<Priority>('normal', 'normal', 'normal', 'elderly', 'disability', 'appointment'),
        dueInMinutes: fc.integer({ min: -30, max: 60 }),
      }), { minLength: 1, maxLength: 40 }),
      async (skills, tickets) => {
        // Each run is a new working day at the same center, so earlier runs leave nothing waiting
        // (tickets are only issued while the center is open: weekends and holidays are skipped).
        let start: Date;
        do start = new Date(Date.UTC(2027, 0, 4, 6, 0) + day++ * 86_400_000);
        while (!t.ctx.calendar.isWorkingDay(bakuDate(start)));
        t.setNow(start);
        await t.ctx.db.updateTable('queue_windows').set({ is_open: false }).where('center_code', '=', CENTER).execute();
        for (const [i, s] of skills.entries()) {
          await t.ctx.db.updateTable('queue_windows').set({ is_open: true, skills: s }).where('center_code', '=', CENTER).where('window_no', '=', i + 1).execute();
        }
        const issued: { id: number; service: string; key: [number, number, number] }[] = [];
        for (const [i, tk] of tickets.entries()) {
          t.setNow(new Date(start.getTime() + i * 1000));
          const now = t.ctx.now();
          if (!skills.some((s) => s.includes(tk.service))) continue; // no open window serves it: refused at issue
          let id: number;
          let rank: number;
          if (tk.priority === 'appointment') {
            const due = new Date(start.getTime() + tk.dueInMinutes * 60_000);
            const row = await t.ctx.db.insertInto('queue_tickets').values({
              center_code: CENTER, service_date: bakuDate(now), number: `Z-${String(i).padStart(3, '0')}`, service_code: tk.service, priority: 'appointment',
              channel: 'appointment', queued_at: now, issued_at: now, due_at: due, survey_token: `tok-${day}-${i}-${'x'.repeat(16)}`,
            }).returning('ticket_id').executeTakeFirstOrThrow();
            id = row.ticket_id;
            rank = due.getTime() <= start.getTime() + 3600_000 + service.DUE_GRACE_MINUTES * 60_000 ? 1 : 4; // "now" below is start + 1 h
          } else {
            const r = await service.issueTicket(t.ctx, staff, CENTER, { serviceCode: tk.service, priority: tk.priority });
            id = r.ticket.id;
            rank = PRIORITY_RANK[tk.priority];
          }
          issued.push({ id, service: tk.service, key: [rank, now.getTime(), id] });
        }
        t.setNow(new Date(start.getTime() + 3600_000));
        const cmp = (a: [number, number, number], b: [number, number, number]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
        const byId = new Map(issued.map((x) => [x.id, x]));
        const got = new Map<number, { window: number; round: number }>();
        const perWindow = skills.map(() => [] as number[]);
        let active = skills.map((_, i) => i + 1);
        for (let round = 0; active.length > 0; round++) {
          assert.ok(round <= issued.length + 1, 'calls terminate');
          const results = await Promise.all(active.map(async (w) => ({ w, r: await service.callNextTicket(t.ctx, staff, CENTER, w) })));
          const next: number[] = [];
          for (const { w, r } of results) {
            if (!r.ticket) continue;
            assert.ok(!got.has(r.ticket.id), `ticket ${r.ticket.id} went to windows ${got.get(r.ticket.id)?.window} and ${w}`);
            assert.ok(skills[w - 1]!.includes(r.ticket.serviceCode), 'a window only gets services it serves');
            got.set(r.ticket.id, { window: w, round });
            perWindow[w - 1]!.push(r.ticket.id);
            next.push(w);
          }
          await Promise.all(results.filter((x) => x.r.ticket).map(async ({ r }) => {
            await service.actOnTicket(t.ctx, staff, r.ticket!.id, 'serve');
            await service.actOnTicket(t.ctx, staff, r.ticket!.id, 'finish');
          }));
          active = next;
        }
        // Every ticket some window serves was called (nothing skipped or stranded).
        assert.equal(got.size, issued.length);
        // Each window took its tickets in the order rules' order.
        for (const seq of perWindow) {
          for (let i = 1; i < seq.length; i++) assert.ok(cmp(byId.get(seq[i - 1]!)!.key, byId.get(seq[i]!)!.key) < 0, 'window order');
        }
        // No window passed over a better ticket it could serve that was still waiting: any such ticket went out in the same round or earlier.
        for (const [id, g] of got) {
          const mine = byId.get(id)!;
          for (const other of issued) {
            if (cmp(other.key, mine.key) < 0 && skills[g.window - 1]!.includes(other.service)) {
              assert.ok(got.get(other.id)!.round <= g.round, `window ${g.window} took ${id} in round ${g.round} while ${other.id} waited`);
            }
          }
        }
      },
    ), { numRuns: pg() ? 25 : 10, seed: 4242 });
  });
});

describe('booking under contention', () => {
  test('many citizens booking the same slot at once: exactly its capacity succeed, the database never overbooks', async () => {
    t.setNow('2026-11-24T06:00:00Z');
    await t.ctx.db.updateTable('queue_windows').set({ is_open: true, skills: SERVICES }).where('center_code', '=', CENTER).execute();
    const free = await service.listFreeSlots(t.ctx, { service: SVC.labour, date: '2026-11-26', center: CENTER });
    const slot = free.centers[0]!.slots[3]!;
    assert.equal(slot.free, Math.floor(50 * service.APPOINTMENT_SHARE));
    const attempts = await Promise.allSettled(Array.from({ length: 40 }, () => service.bookAppointment(t.ctx, citizen, { centerCode: CENTER, serviceCode: SVC.labour, startsAt: slot.startsAt })));
    const ok = attempts.filter((a) => a.status === 'fulfilled');
    assert.equal(ok.length, slot.free);
    for (const a of attempts) if (a.status === 'rejected') assert.match(String((a.reason as Error).message), /fully booked/);
    const row = await t.ctx.db.selectFrom('queue_slots').selectAll().where('center_code', '=', CENTER).where('service_code', '=', SVC.labour).where('starts_at', '=', new Date(slot.startsAt)).executeTakeFirstOrThrow();
    assert.equal(row.booked, slot.free);
    const codes = new Set(ok.map((a) => (a as PromiseFulfilledResult<{ confirmation: string }>).value.confirmation));
    assert.equal(codes.size, slot.free);
    // The CHECK holds even against a direct write.
    await assert.rejects(t.ctx.db.updateTable('queue_slots').set({ booked: row.capacity + 1 }).where('center_code', '=', CENTER).where('service_code', '=', SVC.labour).where('starts_at', '=', row.starts_at).execute(), /queue_slots_not_overbooked/);

    // Concurrent moves into one free place: one wins.
    const target = free.centers[0]!.slots[5]!;
    await t.ctx.db.updateTable('queue_slots').set({ capacity: 1 }).where('center_code', '=', CENTER).where('service_code', '=', SVC.labour).where('starts_at', '=', new Date(target.startsAt)).execute();
    const moves = await Promise.allSettled([...codes].slice(0, 6).map((c) => service.moveAppointment(t.ctx, c, { startsAt: target.startsAt })));
    assert.equal(moves.filter((m) => m.status === 'fulfilled').length, 1);
    const after = await t.ctx.db.selectFrom('queue_slots').select(['starts_at', 'booked']).where('center_code', '=', CENTER).where('service_code', '=', SVC.labour)
      .where('starts_at', 'in', [new Date(slot.startsAt), new Date(target.startsAt)]).orderBy('starts_at').execute();
    assert.deepEqual(after.map((r) => r.booked), [slot.free - 1, 1]);
  });
});
