import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createHousehold, createUser } from '../../test/factories.ts';
import type { FieldOut } from '../catalog/index.ts';
import { twelveMonthsBefore } from './approval-effects.ts';
import { sampleAnswers } from './sample-answers.ts';

const TSA = '99-07-01-00';
let t: TestApp;
let officer: Record<string, string>;
let operator: Record<string, string>;

before(async () => {
  t = await createTestApp();
  t.setNow('2026-11-02T06:00:00Z');
  const o = await createUser(t.ctx.db, { username: 'tsa-officer', roles: ['officer'] });
  officer = await t.login(o.username, o.password);
  const op = await createUser(t.ctx.db, { username: 'tsa-operator', roles: ['operator'], centerCode: 'BAKU-1' });
  operator = await t.login(op.username, op.password);
});
after(() => t.close());

async function apply(citizenId: number, income: number, serviceCode = TSA) {
  const f = body<{ form: { fields: FieldOut[] } }>(await t.app.inject({ url: `/api/catalog/services/${serviceCode}` })).form.fields;
  const data = { ...sampleAnswers(f), ...(f.some((x) => x.name === 'monthly_income') ? { monthly_income: income } : {}) };
  const r = await t.app.inject({ method: 'POST', url: '/api/applications', headers: { ...operator, 'idempotency-key': crypto.randomUUID() }, payload: { serviceCode, citizenId, data } });
  assert.equal(r.statusCode, 201, r.body);
  return body<{ reference: string }>(r).reference;
}
const act = (ref: string, action: string, extra: object = {}) => t.app.inject({ method: 'POST', url: `/api/applications/${ref}/actions`, headers: officer, payload: { action, ...extra } });
const declarations = (householdId: number) => t.ctx.db.selectFrom('household_income_declarations').selectAll().where('household_id', '=', householdId).execute();

test('the 12 full months before the month of submission', () => {
  assert.deepEqual(twelveMonthsBefore('2026-11-02'), { from: '2025-11-01', to: '2026-10-31' });
  assert.deepEqual(twelveMonthsBefore('2026-01-31'), { from: '2025-01-01', to: '2025-12-31' });
  assert.deepEqual(twelveMonthsBefore('2024-03-15'), { from: '2023-03-01', to: '2024-02-29' });
});

test('approving a TSA application records the declared income for the applicant\'s household, in the same step', async () => {
  const c = await createCitizen(t.ctx.db, { birth_date: '1985-01-01' });
  const kid = await createCitizen(t.ctx.db, { birth_date: '2015-01-01' });
  const h = await createHousehold(t.ctx.db, [{ citizenId: c.citizen_id, relation: 'head' }, { citizenId: kid.citizen_id, relation: 'child' }]);
  const ref = await apply(c.citizen_id, 180);
  assert.equal((await act(ref, 'start_review')).statusCode, 200);
  assert.deepEqual(await declarations(h.household_id), [], 'nothing before the decision');
  const r = await act(ref, 'approve');
  assert.equal(r.statusCode, 200, r.body);
  const d = await declarations(h.household_id);
  assert.deepEqual(d.map((x) => [Number(x.monthly_income_azn), x.source, x.period_from, x.period_to, x.declared_on]), [[180, 'application', '2025-11-01', '2026-10-31', '2026-11-02']]);
  const ev = await t.ctx.db.selectFrom('outbox').select('payload').where('topic', '=', 'registry.household.changed').execute();
  const payloads = ev.map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as { householdId: number; citizenIds: number[]; change: string });
  const mine = payloads.filter((p) => p.householdId === h.household_id);
  assert.deepEqual(mine.map((p) => p.change), ['income_declared']);
  assert.deepEqual(mine[0]!.citizenIds.sort(), [c.citizen_id, kid.citizen_id].sort());
  const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'purpose']).where('resource', '=', `households/${h.household_id}`).execute();
  assert.deepEqual(audit.map((a) => a.action), ['household.income.declare']);
  assert.match(audit[0]!.purpose, new RegExp(ref));
});

test('rejecting records nothing; an applicant with no household records nothing; other services record nothing', async () => {
  const c = await createCitizen(t.ctx.db, { birth_date: '1985-01-01' });
  const h = await createHousehold(t.ctx.db, [{ citizenId: c.citizen_id, relation: 'head' }]);
  const ref = await apply(c.citizen_id, 90);
  await act(ref, 'start_review');
  assert.equal((await act(ref, 'reject', { reason: 'other', comment: 'Gəlir meyardan yüksəkdir' })).statusCode, 200);
  assert.deepEqual(await declarations(h.household_id), []);

  const alone = await createCitizen(t.ctx.db, { birth_date: '1985-01-01' });
  const ref2 = await apply(alone.citizen_id, 90);
  await act(ref2, 'start_review');
  const ok = await act(ref2, 'approve');
  assert.equal(ok.statusCode, 200, ok.body);
});
