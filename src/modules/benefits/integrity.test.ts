/**
 * Benefits that survive an agency's noise (issue 9): a resent birth, a corrected birth date and a
 * cancelled birth, delivered by the real dispatcher on the batch topic; and a sweep over them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen } from '../../test/factories.ts';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../platform/outbox.ts';
import { publishEvent } from '../../platform/events.ts';
import type { RuleBook } from '../../rules/index.ts';
import { countOverlaps } from './repository.ts';
import { benefitsOutboxBatchHandlers, benefitsOutboxHandlers, getRuleBook, sweep, todayOf } from './service.ts';

let t: TestApp;
let rb: RuleBook;
let dispatcher: OutboxDispatcher;
type Kind = 'original' | 'correction' | 'cancellation';

/** An event as an agency's intake stores it, published on the batch topic (H1's shape). */
async function arrive(citizenId: number, type: string, occurredOn: string, data: Record<string, unknown>, kind: Kind = 'original', supersedes: number | null = null) {
  return t.ctx.db.transaction().execute(async (trx) => {
    const e = await trx.insertInto('life_events').values({
      citizen_id: citizenId, type, occurred_on: occurredOn, source: 'civil_registry', data: JSON.stringify(data), kind,
      source_system: 'civil_registry', source_event_id: crypto.randomUUID(), supersedes_event_id: supersedes,
    }).returning('event_id').executeTakeFirstOrThrow();
    await publishEvent(trx, 'registry.life_events.recorded', { events: [{ citizenId, eventId: e.event_id, type, occurredOn, kind }] });
    return e.event_id;
  });
}
const assignments = (citizenId: number, benefit: string) =>
  t.ctx.db.selectFrom('benefit_assignments').selectAll().where('citizen_id', '=', citizenId).where('benefit_id', '=', benefit).orderBy('assignment_id').execute();
const parked = async () => Number((await t.ctx.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('last_error', 'is not', null).executeTakeFirstOrThrow()).n);

before(async () => {
  t = await createTestApp();
  rb = await getRuleBook();
  dispatcher = createOutboxDispatcher(t.ctx.db, benefitsOutboxHandlers(t.ctx.now), { batchSize: 64, batchHandlers: benefitsOutboxBatchHandlers(t.ctx.now) });
  t.setNow('2026-05-10T08:00:00Z');
});
after(() => t.close());

describe('births an agency resends, corrects and cancels', () => {
  test('the same birth recorded twice pays once; the dispatcher and the sweep go on', async () => {
    const mother = (await createCitizen(t.ctx.db, { birth_date: '1990-01-01', sex: 'F' })).citizen_id;
    const baby = (await createCitizen(t.ctx.db, { birth_date: '2026-05-01' })).citizen_id;
    await arrive(baby, 'birth', '2026-05-01', { motherCitizenId: mother });
    await arrive(baby, 'birth', '2026-05-01', { motherCitizenId: mother });
    await dispatcher.drain();
    assert.equal(await parked(), 0, 'no event failed');
    const cb = await assignments(mother, 'childbirth_allowance');
    assert.deepEqual(cb.map((a) => [a.subject_key, a.amount_azn]), [[`child:${baby}`, 600]]);
    const result = await sweep(t.ctx.db, rb, todayOf(t.ctx));
    assert.ok(result.childbirth_allowance);
    assert.equal((await assignments(mother, 'childbirth_allowance')).length, 1);
    assert.equal(await countOverlaps(t.ctx.db), 0);
  });

  test('a birth re-registered with a corrected date pays once', async () => {
    const mother = (await createCitizen(t.ctx.db, { birth_date: '1991-01-01', sex: 'F' })).citizen_id;
    const baby = (await createCitizen(t.ctx.db, { birth_date: '2026-05-03' })).citizen_id;
    const first = await arrive(baby, 'birth', '2026-05-02', { motherCitizenId: mother });
    await dispatcher.drain();
    await arrive(baby, 'birth', '2026-05-03', { motherCitizenId: mother }, 'correction', first);
    await dispatcher.drain();
    await sweep(t.ctx.db, rb, todayOf(t.ctx));
    assert.equal(await parked(), 0);
    assert.equal((await assignments(mother, 'childbirth_allowance')).length, 1);
    assert.equal(await countOverlaps(t.ctx.db), 0);
  });

  test('a cancelled birth ends what it paid and flags the paid amount for recovery, never deleting it', async () => {
    const mother = (await createCitizen(t.ctx.db, { birth_date: '1992-01-01', sex: 'F' })).citizen_id;
    const baby = (await createCitizen(t.ctx.db, { birth_date: '2026-03-01' })).citizen_id;
    t.setNow('2026-03-02T08:00:00Z');
    const birth = await arrive(baby, 'birth', '2026-03-01', { motherCitizenId: mother });
    await dispatcher.drain();
    assert.equal((await assignments(mother, 'childbirth_allowance')).length, 1);
    t.setNow('2026-05-10T08:00:00Z');
    await arrive(baby, 'birth', '2026-03-01', {}, 'cancellation', birth);
    await dispatcher.drain();
    assert.equal(await parked(), 0);
    const [cb] = await assignments(mother, 'childbirth_allowance');
    assert.equal(cb!.status, 'ended');
    assert.equal(cb!.ended_reason, 'basis_cancelled');
    assert.equal(cb!.recovery_status, 'due');
    assert.equal(Number(cb!.recovery_amount_azn), 600);
    // A sweep afterwards changes nothing and creates nothing new.
    await sweep(t.ctx.db, rb, todayOf(t.ctx));
    assert.equal((await assignments(mother, 'childbirth_allowance')).length, 1);
  });
});

describe('disability assessments an agency cancels or re-assesses', () => {
  test('a cancelled assessment ends the monthly allowance today and flags the months paid for recovery', async () => {
    const p = (await createCitizen(t.ctx.db, { birth_date: '1975-01-01' })).citizen_id;
    t.setNow('2026-03-05T08:00:00Z');
    const da = await arrive(p, 'disability_assessment', '2026-03-01', { degree: 2, percent: 70, reviewOn: '2027-06-18' });
    await dispatcher.drain();
    assert.deepEqual((await assignments(p, 'disability_allowance')).map((a) => [a.status, a.period_from]), [['active', '2026-03-05']]);
    t.setNow('2026-05-10T08:00:00Z');
    await arrive(p, 'disability_assessment', '2026-03-01', {}, 'cancellation', da);
    await dispatcher.drain();
    assert.equal(await parked(), 0);
    const [a, more] = await assignments(p, 'disability_allowance');
    assert.equal(more, undefined);
    assert.deepEqual([a!.status, a!.ended_reason, a!.period_to, a!.recovery_status], ['ended', 'basis_cancelled', '2026-05-10', 'due']);
    // Paid for the months begun on 5 March, 5 April and 5 May.
    assert.equal(Number(a!.recovery_amount_azn), 3 * a!.amount_azn);
    await sweep(t.ctx.db, rb, todayOf(t.ctx));
    assert.equal((await assignments(p, 'disability_allowance')).length, 1);
  });

  test('a re-assessment with no degree (under 31 %) ends the allowance', async () => {
    const p = (await createCitizen(t.ctx.db, { birth_date: '1970-01-01' })).citizen_id;
    t.setNow('2026-03-05T08:00:00Z');
    await arrive(p, 'disability_assessment', '2026-03-01', { degree: 3, percent: 45 });
    await dispatcher.drain();
    t.setNow('2026-04-10T08:00:00Z');
    await arrive(p, 'disability_assessment', '2026-04-10', { degree: null, percent: 20 });
    await dispatcher.drain();
    const all = await assignments(p, 'disability_allowance');
    assert.deepEqual(all.map((a) => [a.status, a.ended_reason, a.period_to, a.recovery_status]), [['ended', 'not_eligible', '2026-04-10', null]]);
    await sweep(t.ctx.db, rb, todayOf(t.ctx));
    assert.equal((await assignments(p, 'disability_allowance')).length, 1);
  });
});
