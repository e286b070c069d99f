/** A sweep survives a failing rule (issue 9): the rule's error is in the summary, the other rules run. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen } from '../../test/factories.ts';
import type { Rule, RuleBook } from '../../rules/index.ts';
import { getRuleBook, sweep, todayOf, type FailedRule } from './service.ts';

let t: TestApp;
let rb: RuleBook;
before(async () => { t = await createTestApp(); rb = await getRuleBook(); t.setNow('2026-05-10T08:00:00Z'); });
after(() => t.close());

test('one failing rule does not stop a sweep: its error is recorded and the other rules decide', async () => {
  const mother = (await createCitizen(t.ctx.db, { birth_date: '1990-01-01', sex: 'F' })).citizen_id;
  const baby = (await createCitizen(t.ctx.db, { birth_date: '2026-05-01' })).citizen_id;
  await t.ctx.db.insertInto('life_events').values({ citizen_id: baby, type: 'birth', occurred_on: '2026-05-01', source: 'test', data: JSON.stringify({ motherCitizenId: mother }) }).execute();
  // A rule whose facts query cannot be built (an unknown subject), swept first.
  const broken = { ...rb.byId.get('childbirth_allowance')!, id: 'broken_rule', subject: 'no_such_subject' } as unknown as Rule;
  const book: RuleBook = { ...rb, byId: new Map([['broken_rule', broken], ...rb.byId]) };
  const failed: FailedRule[] = [];
  const result = await sweep(t.ctx.db, book, todayOf(t.ctx), undefined, failed);
  assert.deepEqual(failed.map((f) => f.benefit), ['broken_rule']);
  assert.ok(failed[0]!.error.length > 0);
  assert.equal(result.childbirth_allowance!.assigned, 1);
  const paid = await t.ctx.db.selectFrom('benefit_assignments').select('amount_azn').where('citizen_id', '=', mother).where('benefit_id', '=', 'childbirth_allowance').execute();
  assert.deepEqual(paid.map((a) => a.amount_azn), [600]);
  // Without a place to record failures (the old contract) the error is thrown.
  await assert.rejects(sweep(t.ctx.db, book, todayOf(t.ctx)));
});
