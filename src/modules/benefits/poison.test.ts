/**
 * A poison event never blocks the benefits dispatcher (issue 9): with the real benefits handlers
 * and batches, one event whose handling throws is retried with back-off and parked after
 * maxAttempts, while the good events of its batch and every later event are handled.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen } from '../../test/factories.ts';
import { createOutboxDispatcher } from '../../platform/outbox.ts';
import { publishEvent } from '../../platform/events.ts';
import { benefitsOutboxBatchHandlers, benefitsOutboxHandlers } from './service.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); t.setNow('2026-05-10T08:00:00Z'); });
after(() => t.close());

/** A birth stored and published on the batch topic; returns the outbox row's payload key (the child). */
async function birth(mother: number, bornOn: string) {
  const baby = (await createCitizen(t.ctx.db, { birth_date: bornOn })).citizen_id;
  await t.ctx.db.transaction().execute(async (trx) => {
    const e = await trx.insertInto('life_events').values({ citizen_id: baby, type: 'birth', occurred_on: bornOn, source: 'civil_registry', data: JSON.stringify({ motherCitizenId: mother }) })
      .returning('event_id').executeTakeFirstOrThrow();
    await publishEvent(trx, 'registry.life_events.recorded', { events: [{ citizenId: baby, eventId: e.event_id, type: 'birth', occurredOn: bornOn, kind: 'original' }] });
  });
  return baby;
}
const paid = async (mother: number) => (await t.ctx.db.selectFrom('benefit_assignments').select('subject_key')
  .where('citizen_id', '=', mother).where('benefit_id', '=', 'childbirth_allowance').execute()).length;

test('one poison event among good ones is retried, then parked; its batch and later events go on', async () => {
  const attempts: number[] = [];
  const d = createOutboxDispatcher(t.ctx.db, benefitsOutboxHandlers(t.ctx.now), {
    batchSize: 64, batchHandlers: benefitsOutboxBatchHandlers(t.ctx.now), maxAttempts: 3, backoffMs: (n) => { attempts.push(n); return 0; },
  });
  const m1 = (await createCitizen(t.ctx.db, { birth_date: '1990-01-01', sex: 'F' })).citizen_id;
  const m2 = (await createCitizen(t.ctx.db, { birth_date: '1991-01-01', sex: 'F' })).citizen_id;
  const m3 = (await createCitizen(t.ctx.db, { birth_date: '1992-01-01', sex: 'F' })).citizen_id;
  await birth(m1, '2026-05-01');
  // An agency's malformed event (a citizen id that is no number): handling it throws in the database.
  await t.ctx.db.transaction().execute((trx) => publishEvent(trx, 'registry.life_events.recorded',
    { events: [{ citizenId: 'not-a-number' as never, eventId: 0, type: 'birth', occurredOn: '2026-05-02', kind: 'original' }] }));
  await birth(m2, '2026-05-03');
  for (let i = 0; i < 5; i++) await d.drain();
  assert.equal(await paid(m1), 1, 'the good event before the poison one in the batch');
  assert.equal(await paid(m2), 1, 'the good event after it');
  const poison = await t.ctx.db.selectFrom('outbox').select(['attempts', 'processed_at', 'last_error']).where('topic', '=', 'registry.life_events.recorded')
    .where('last_error', 'is not', null).execute();
  assert.equal(poison.length, 1);
  assert.equal(poison[0]!.attempts, 3, 'parked after maxAttempts');
  assert.equal(poison[0]!.processed_at, null);
  assert.ok(attempts.length >= 2, 'retried with back-off');
  // A later event is handled although the poison one stays parked.
  await birth(m3, '2026-05-04');
  await d.drain();
  assert.equal(await paid(m3), 1);
});
