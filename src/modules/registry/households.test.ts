import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createUser } from '../../test/factories.ts';
import type { HouseholdView } from './households.ts';

let t: TestApp;
let officer: Record<string, string>;
let officerAz: Record<string, string>;
let operator: Record<string, string>;

const post = (url: string, payload: object, headers = officer) => t.app.inject({ method: 'POST', url, headers, payload });
const fields = (r: { json(): unknown }) => (r.json() as { details?: { field: string; code: string; message: string }[] }).details ?? [];
const codesOf = (r: { json(): unknown }) => fields(r).map((d) => `${d.field}:${d.code}`).sort();

async function person(o: { birth_date?: string; death_date?: string | null } = {}) {
  return (await createCitizen(t.ctx.db, { birth_date: '1980-01-01', ...o })).citizen_id;
}
async function household(head: number, from = '2020-01-01') {
  const r = await post('/api/households', { districtCode: 'BAK-YAS', address: 'Bakı, Yasamal', headCitizenId: head, from });
  assert.equal(r.statusCode, 201, r.body);
  return body<HouseholdView>(r);
}
const events = async (householdId: number) => (await t.ctx.db.selectFrom('outbox').select('payload').where('topic', '=', 'registry.household.changed').execute())
  .map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as { householdId: number; citizenIds: number[]; change: string })
  .filter((p) => p.householdId === householdId);
const audits = (resource: string) => t.ctx.db.selectFrom('audit_log').select(['action', 'citizen_ids']).where('resource', '=', resource).execute();

before(async () => {
  t = await createTestApp();
  t.setNow('2026-11-02T06:00:00Z');
  const o = await createUser(t.ctx.db, { username: 'hh-officer', roles: ['officer'] });
  const oa = await createUser(t.ctx.db, { username: 'hh-officer-az', roles: ['officer'] });
  const op = await createUser(t.ctx.db, { username: 'hh-operator', roles: ['operator'], centerCode: 'BAKU-1' });
  officer = { ...(await t.login(o.username, o.password)), 'accept-language': 'en' };
  officerAz = { ...(await t.login(oa.username, oa.password)), 'accept-language': 'az' };
  operator = await t.login(op.username, op.password);
});
after(() => t.close());

describe('households', () => {
  test('create, add members, list with relation names; audited and published', async () => {
    const head = await person();
    const child = await person({ birth_date: '2015-05-05' });
    const h = await household(head);
    assert.equal(h.members.length, 1);
    assert.equal(h.members[0]!.relation, 'head');
    const r = await post(`/api/households/${h.id}/members`, { citizenId: child, relation: 'child', from: '2020-02-01' });
    assert.equal(r.statusCode, 201, r.body);
    const got = await t.app.inject({ url: `/api/households/${h.id}`, headers: officerAz });
    assert.equal(got.statusCode, 200);
    const v = body<HouseholdView>(got);
    assert.deepEqual(v.members.map((m) => [m.citizenId, m.relation, m.current]), [[head, 'head', true], [child, 'child', true]]);
    assert.equal(v.members[1]!.relationName, 'Övlad');
    const ev = await events(h.id);
    assert.deepEqual(ev.map((e) => e.change), ['created', 'member_joined']);
    assert.deepEqual(ev[1]!.citizenIds, [child]);
    const a = await audits(`households/${h.id}`);
    assert.deepEqual(a.map((x) => x.action).sort(), ['household.create', 'household.member.add', 'household.read']);
    assert.deepEqual(a.find((x) => x.action === 'household.read')!.citizen_ids.map(Number).sort(), [head, child].sort());
  });

  test('roles: an operator may not change households', async () => {
    const r = await post('/api/households', { districtCode: 'BAK-YAS', address: 'x', headCitizenId: await person() }, operator);
    assert.equal(r.statusCode, 403);
  });

  test('a member of another household is moved in one step; one open membership per citizen', async () => {
    const a = await household(await person());
    const b = await household(await person());
    const kid = await person({ birth_date: '2010-01-01' });
    assert.equal((await post(`/api/households/${a.id}/members`, { citizenId: kid, relation: 'child', from: '2021-01-01' })).statusCode, 201);
    const r = await post(`/api/households/${b.id}/members`, { citizenId: kid, relation: 'grandchild', from: '2024-03-01' });
    assert.equal(r.statusCode, 201, r.body);
    const open = await t.ctx.db.selectFrom('household_members').selectAll().where('citizen_id', '=', kid).orderBy('joined_on').execute();
    assert.deepEqual(open.map((m) => [m.household_id, m.left_on]), [[a.id, '2024-03-01'], [b.id, null]]);
    assert.deepEqual((await events(a.id)).map((e) => e.change), ['created', 'member_joined', 'member_left']);
    // Adding again to the same household is refused.
    const again = await post(`/api/households/${b.id}/members`, { citizenId: kid, relation: 'child', from: '2024-04-01' });
    assert.equal(again.statusCode, 400);
    assert.deepEqual(codesOf(again), ['/citizenId:already_member']);
    // The database itself refuses a second open membership.
    await assert.rejects(t.ctx.db.insertInto('household_members').values({ citizen_id: kid, household_id: a.id, relation: 'child', joined_on: '2025-01-01' }).execute());
  });

  test('validation: unknown or dead citizen, future date, before birth, unknown relation, head relation, district', async () => {
    const h = await household(await person());
    const dead = await person({ death_date: '2022-01-01' });
    const young = await person({ birth_date: '2023-06-01' });
    const cases: [object, string[]][] = [
      [{ citizenId: 999999999, relation: 'child', from: '2024-01-01' }, ['/citizenId:unknown_citizen']],
      [{ citizenId: dead, relation: 'child', from: '2021-01-01' }, ['/citizenId:deceased']],
      [{ citizenId: young, relation: 'child', from: '2027-01-01' }, ['/from:future_date']],
      [{ citizenId: young, relation: 'child', from: '2023-01-01' }, ['/from:before_birth']],
      [{ citizenId: young, relation: 'cousin', from: '2024-01-01' }, ['/relation:unknown_relation']],
      [{ citizenId: young, relation: 'head', from: '2024-01-01' }, ['/relation:head_relation']],
    ];
    for (const [payload, want] of cases) {
      const r = await post(`/api/households/${h.id}/members`, payload, officerAz);
      assert.equal(r.statusCode, 400, JSON.stringify(payload));
      assert.deepEqual(codesOf(r), want, JSON.stringify(payload));
      for (const d of fields(r)) assert.doesNotMatch(d.message, /[a-z]{3,} (the|is|cannot)\b/i, 'an az message, not English');
    }
    const bad = await post('/api/households', { districtCode: 'NOPE', address: 'x', headCitizenId: young, from: '2024-01-01' });
    assert.deepEqual(codesOf(bad), ['/districtCode:unknown_district']);
    const missing = await post(`/api/households/999999999/members`, { citizenId: young, relation: 'child', from: '2024-01-01' });
    assert.equal(missing.statusCode, 404);
  });

  test('ending memberships: the head cannot leave others behind unless a new head is named', async () => {
    const head = await person();
    const spouse = await person();
    const h = await household(head);
    await post(`/api/households/${h.id}/members`, { citizenId: spouse, relation: 'spouse', from: '2020-01-01' });
    const refused = await post(`/api/households/${h.id}/members/${head}/end`, { on: '2025-01-01' }, officerAz);
    assert.equal(refused.statusCode, 409);
    assert.equal(body<{ code: string }>(refused).code, 'HOUSEHOLD_HEAD_MUST_STAY');
    const before = await post(`/api/households/${h.id}/members/${spouse}/end`, { on: '2019-01-01' });
    assert.deepEqual(codesOf(before), ['/on:before_joined']);
    const ok = await post(`/api/households/${h.id}/members/${head}/end`, { on: '2025-01-01', newHeadCitizenId: spouse });
    assert.equal(ok.statusCode, 200, ok.body);
    const v = body<HouseholdView>(ok);
    assert.deepEqual(v.members.filter((m) => m.current).map((m) => [m.citizenId, m.relation]), [[spouse, 'head']]);
    assert.ok(v.members.some((m) => m.citizenId === spouse && m.relation === 'spouse' && m.leftOn === '2025-01-01'), 'the old relation stays in history');
    const notMember = await post(`/api/households/${h.id}/members/${head}/end`, { on: '2025-02-01' });
    assert.deepEqual(codesOf(notMember), ['/citizenId:not_member']);
  });

  test('change of head keeps one open head', async () => {
    const head = await person();
    const son = await person({ birth_date: '2000-01-01' });
    const h = await household(head);
    await post(`/api/households/${h.id}/members`, { citizenId: son, relation: 'child', from: '2020-01-01' });
    const r = await post(`/api/households/${h.id}/head`, { citizenId: son, on: '2025-06-01', formerHeadRelation: 'parent' });
    assert.equal(r.statusCode, 200, r.body);
    const cur = body<HouseholdView>(r).members.filter((m) => m.current).map((m) => [m.citizenId, m.relation]).sort();
    assert.deepEqual(cur, [[head, 'parent'], [son, 'head']].sort());
    await assert.rejects(t.ctx.db.insertInto('household_members').values({ citizen_id: await person(), household_id: h.id, relation: 'head', joined_on: '2025-07-01' }).execute());
  });

  test('income declarations: period, source, non-negative; published to the members', async () => {
    const head = await person();
    const h = await household(head);
    const bad = await post(`/api/households/${h.id}/income-declarations`, { monthlyIncomeAzn: -1, periodFrom: '2025-10-01', periodTo: '2025-01-01', source: 'lottery', declaredOn: '2027-01-01' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(codesOf(bad), ['/declaredOn:future_date', '/monthlyIncomeAzn:negative_income', '/periodTo:period_order', '/source:unknown_source']);
    const ok = await post(`/api/households/${h.id}/income-declarations`, { monthlyIncomeAzn: 250.5, periodFrom: '2025-10-01', periodTo: '2026-09-30', source: 'wages', declaredOn: '2026-10-15' }, officerAz);
    assert.equal(ok.statusCode, 201, ok.body);
    const d = body<HouseholdView>(ok).declarations;
    assert.deepEqual(d.map((x) => [x.monthlyIncomeAzn, x.periodFrom, x.periodTo, x.source, x.sourceName]), [[250.5, '2025-10-01', '2026-09-30', 'wages', 'Əmək haqqı']]);
    const ev = (await events(h.id)).at(-1)!;
    assert.deepEqual([ev.change, ev.citizenIds], ['income_declared', [head]]);
  });
});
