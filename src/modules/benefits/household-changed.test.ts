/** A household's change (H3 publishes registry.household.changed) re-evaluates its benefits (issue 9). */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createHousehold } from '../../test/factories.ts';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../platform/outbox.ts';
import { publishEvent } from '../../platform/events.ts';
import { benefitsOutboxBatchHandlers, benefitsOutboxHandlers } from './service.ts';

let t: TestApp;
let dispatcher: OutboxDispatcher;
before(async () => {
  t = await createTestApp();
  dispatcher = createOutboxDispatcher(t.ctx.db, benefitsOutboxHandlers(t.ctx.now), { batchSize: 64, batchHandlers: benefitsOutboxBatchHandlers(t.ctx.now) });
  t.setNow('2026-03-10T08:00:00Z');
});
after(() => t.close());

test('an income declared for a household offers targeted social assistance; a member joining recalculates the offer', async () => {
  const head = (await createCitizen(t.ctx.db, { birth_date: '1980-05-01', sex: 'M' })).citizen_id;
  const spouse = (await createCitizen(t.ctx.db, { birth_date: '1984-07-07', sex: 'F' })).citizen_id;
  const household = (await createHousehold(t.ctx.db, [{ citizenId: head, relation: 'head' }, { citizenId: spouse, relation: 'spouse' }])).household_id;
  await t.ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('household_income_declarations').values({ household_id: household, declared_on: '2026-01-01', monthly_income_azn: 200, source: 'test' }).execute();
    await publishEvent(trx, 'registry.household.changed', { householdId: household, citizenIds: [head, spouse], change: 'income_declared' });
  });
  await dispatcher.drain();
  const offers = () => t.ctx.db.selectFrom('benefit_offers').select(['amount_azn', 'status']).where('citizen_id', '=', head).where('benefit_id', '=', 'targeted_social_assistance').execute();
  assert.deepEqual((await offers()).map((o) => [o.amount_azn, o.status]), [[400, 'pending']]); // 300 × 2 − 200
  const kid = (await createCitizen(t.ctx.db, { birth_date: '2015-02-02' })).citizen_id;
  await t.ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('household_members').values({ citizen_id: kid, household_id: household, relation: 'child', joined_on: '2026-03-10' }).execute();
    await publishEvent(trx, 'registry.household.changed', { householdId: household, citizenIds: [kid], change: 'member_joined' });
  });
  await dispatcher.drain();
  assert.deepEqual((await offers()).map((o) => [o.amount_azn, o.status]), [[700, 'pending']]); // 300 × 3 − 200
  const failed = await t.ctx.db.selectFrom('outbox').select('last_error').where('last_error', 'is not', null).execute();
  assert.deepEqual(failed, []);
});
