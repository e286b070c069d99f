import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createHousehold, createUser } from '../../test/factories.ts';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../platform/outbox.ts';
import { createNotifier } from '../../platform/notify.ts';
import { publishEvent } from '../../platform/events.ts';
import { buildServer } from '../../platform/http/server.ts';
import { loadRuleBook, RulesLoadError, type RuleBook } from '../../rules/index.ts';
import { registerBenefitsRoutes } from './routes.ts';
import { countOverlaps } from './repository.ts';
import { applyRule, benefitsOutboxHandlers, getRuleBook, sweep, todayOf } from './service.ts';

let t: TestApp;
let rb: RuleBook;
let dispatcher: OutboxDispatcher;
let officer: Record<string, string>;
let analyst: Record<string, string>;
let agent: Record<string, string>;
const ids = { head: 0, spouse: 0, kid: 0, baby: 0, household: 0, pensioner: 0 };
const citizenHeaders = new Map<number, Record<string, string>>();

const day = (d: string) => t.setNow(`${d}T08:00:00Z`);
async function record(citizenId: number, type: string, occurredOn: string, data: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST', url: `/api/citizens/${citizenId}/life-events`, headers: { ...officer, 'idempotency-key': crypto.randomUUID() },
    payload: { type, occurredOn, source: 'test', data },
  });
  assert.equal(res.statusCode, 201, res.body);
  return dispatcher.drain();
}
const assignments = (citizenId: number, benefit: string) =>
  t.ctx.db.selectFrom('benefit_assignments').selectAll().where('citizen_id', '=', citizenId).where('benefit_id', '=', benefit).orderBy('assignment_id').execute();
const offers = (citizenId: number, benefit: string) =>
  t.ctx.db.selectFrom('benefit_offers').selectAll().where('citizen_id', '=', citizenId).where('benefit_id', '=', benefit).orderBy('offer_id').execute();
async function loginAs(citizenId: number) {
  const u = await createUser(t.ctx.db, { roles: ['citizen'], citizenId });
  await t.ctx.db.updateTable('users').set({ locale: 'en' }).where('user_id', '=', u.user_id).execute();
  const h = await t.login(u.username, u.password);
  citizenHeaders.set(citizenId, h);
  return h;
}
const declareIncome = (householdId: number, declaredOn: string, amount: number) =>
  t.ctx.db.insertInto('household_income_declarations').values({ household_id: householdId, declared_on: declaredOn, monthly_income_azn: amount, source: 'test' }).execute();

before(async () => {
  t = await createTestApp();
  rb = await getRuleBook();
  dispatcher = createOutboxDispatcher(t.ctx.db, benefitsOutboxHandlers(t.ctx.now));
  for (const [role, set] of [['officer', (h: Record<string, string>) => (officer = h)], ['analyst', (h: Record<string, string>) => (analyst = h)], ['call_center_agent', (h: Record<string, string>) => (agent = h)]] as const) {
    const u = await createUser(t.ctx.db, { roles: [role] });
    set(await t.login(u.username, u.password));
  }
  ids.head = (await createCitizen(t.ctx.db, { birth_date: '1980-05-01', sex: 'M' })).citizen_id;
  ids.spouse = (await createCitizen(t.ctx.db, { birth_date: '1984-07-07', sex: 'F', first_name: 'Aysel' })).citizen_id;
  ids.kid = (await createCitizen(t.ctx.db, { birth_date: '2015-02-02' })).citizen_id;
  ids.household = (await createHousehold(t.ctx.db, [{ citizenId: ids.head, relation: 'head' }, { citizenId: ids.spouse, relation: 'spouse' }, { citizenId: ids.kid, relation: 'child' }])).household_id;
  await loginAs(ids.head);
  await loginAs(ids.spouse);
});
after(() => t.close());

describe('a family through a year: income, a birth, a death, income at the criterion', () => {
  test('targeted social assistance is offered with its amount and becomes an assignment on consent', async () => {
    day('2026-03-10');
    await declareIncome(ids.household, '2026-01-01', 500);
    await applyRule(t.ctx.db, rb, rb.byId.get('targeted_social_assistance')!, todayOf(t.ctx));
    const [offer] = await offers(ids.head, 'targeted_social_assistance');
    assert.equal(offer!.amount_azn, 400); // 300 × 3 − 500
    assert.equal(offer!.period_from, '2026-03-01');
    assert.equal(offer!.period_to, '2027-03-01');
    assert.deepEqual(offer!.parameters, { need_criterion: { value: 300, from: '2026-01-01' }, tsa_period_months: { value: 12, from: '2022-01-01' } });

    const mine = body<{ offers: { id: number; reason: string; name: string; status: string }[] }>(await t.app.inject({ method: 'GET', url: '/api/benefits/mine', headers: citizenHeaders.get(ids.head)! }));
    assert.equal(mine.offers[0]!.name, 'Targeted social assistance');
    assert.match(mine.offers[0]!.reason, /You qualify for this benefit \(400 AZN\)/);
    const other = await t.app.inject({ method: 'POST', url: `/api/benefits/offers/${offer!.offer_id}/consent`, headers: citizenHeaders.get(ids.spouse)! });
    assert.equal(other.statusCode, 404);
    const res = await t.app.inject({ method: 'POST', url: `/api/benefits/offers/${offer!.offer_id}/consent`, headers: citizenHeaders.get(ids.head)! });
    assert.equal(res.statusCode, 200, res.body);
    const again = await t.app.inject({ method: 'POST', url: `/api/benefits/offers/${offer!.offer_id}/consent`, headers: citizenHeaders.get(ids.head)! });
    assert.equal(again.statusCode, 409);
    const [a] = await assignments(ids.head, 'targeted_social_assistance');
    assert.equal(a!.amount_azn, 400);
    assert.equal(a!.offer_id, offer!.offer_id);
  });

  test('a birth: 600 childbirth allowance to the mother, the under-one allowance, and TSA recalculated for 4 people', async () => {
    ids.baby = (await createCitizen(t.ctx.db, { birth_date: '2026-03-09', first_name: 'Körpə' })).citizen_id;
    await t.ctx.db.insertInto('household_members').values({ citizen_id: ids.baby, household_id: ids.household, relation: 'child', joined_on: '2026-03-09' }).execute();
    const handled = await record(ids.baby, 'birth', '2026-03-09', { motherCitizenId: ids.spouse, fatherCitizenId: ids.head });
    assert.equal(handled, 1);
    const [cb] = await assignments(ids.spouse, 'childbirth_allowance');
    assert.equal(cb!.amount_azn, 600);
    assert.equal(cb!.subject_key, `child:${ids.baby}`);
    assert.deepEqual(cb!.parameters, { childbirth_allowance: { value: 600, from: '2025-07-01' } });
    const [u1] = await assignments(ids.spouse, 'child_under_one_allowance');
    assert.equal(u1!.amount_azn, 140);
    assert.equal(u1!.period_to, '2027-03-09');
    const tsa = await assignments(ids.head, 'targeted_social_assistance');
    assert.deepEqual(tsa.map((a) => [a.status, a.amount_azn, a.period_from, a.period_to, a.ended_reason]), [
      ['ended', 400, '2026-03-01', '2026-03-10', 'recalculated'],
      ['active', 700, '2026-03-10', '2027-03-01', null], // 300 × 4 − 500
    ]);
    // Delivered again (a crash before the commit): nothing new.
    await t.ctx.db.transaction().execute((trx) => publishEvent(trx, 'registry.life_event.recorded', { citizenId: ids.baby, eventId: 0, type: 'birth', occurredOn: '2026-03-09' }));
    await dispatcher.drain();
    assert.equal((await assignments(ids.spouse, 'childbirth_allowance')).length, 1);
    assert.equal((await assignments(ids.head, 'targeted_social_assistance')).length, 2);
  });

  test('a stillbirth gives no allowance; twins give one each', async () => {
    const twin = (await createCitizen(t.ctx.db, { birth_date: '2026-03-09', first_name: 'Əkiz' })).citizen_id;
    await record(twin, 'birth', '2026-03-09', { motherCitizenId: ids.spouse });
    assert.equal((await assignments(ids.spouse, 'childbirth_allowance')).length, 2);
    const still = (await createCitizen(t.ctx.db, { birth_date: '2026-03-09', first_name: 'X' })).citizen_id;
    await record(still, 'birth', '2026-03-09', { motherCitizenId: ids.spouse, stillbirth: true });
    assert.equal((await assignments(ids.spouse, 'childbirth_allowance')).length, 2, 'no allowance for the stillbirth');
  });

  test('a household member dies: funeral allowance to the spouse, TSA recalculated for the smaller family', async () => {
    day('2026-04-15');
    await record(ids.spouse, 'death', '2026-04-14', {});
    const [f] = await assignments(ids.head, 'funeral_allowance');
    assert.equal(f!.amount_azn, 600);
    const tsa = await assignments(ids.head, 'targeted_social_assistance');
    assert.deepEqual(tsa.slice(1).map((a) => [a.status, a.amount_azn, a.period_from, a.period_to]), [
      ['ended', 700, '2026-03-10', '2026-04-15'],
      ['active', 400, '2026-04-15', '2027-04-01'], // 300 × 3 − 500: the baby, the kid and the head
    ]);
  });

  test('income exactly at the criterion ends TSA, and the under-one allowance follows it', async () => {
    day('2026-05-02');
    await declareIncome(ids.household, '2026-05-01', 900); // 300 × 3
    const first = await sweep(t.ctx.db, rb, todayOf(t.ctx));
    assert.equal(first.targeted_social_assistance!.ended, 1);
    const tsa = await assignments(ids.head, 'targeted_social_assistance');
    assert.deepEqual([tsa.at(-1)!.status, tsa.at(-1)!.period_to, tsa.at(-1)!.ended_reason], ['ended', '2026-05-02', 'not_eligible']);
    const second = await sweep(t.ctx.db, rb, todayOf(t.ctx));
    const changes = Object.values(second).reduce((s, r) => s + r.assigned + r.offered + r.ended + r.recalculated + r.withdrawn, 0);
    assert.equal(changes, 0, JSON.stringify(second));
    assert.equal(await countOverlaps(t.ctx.db), 0);
    const notes = await t.ctx.db.selectFrom('benefit_notifications').select(['kind', 'benefit_id']).where('citizen_id', '=', ids.head).execute();
    assert.ok(notes.some((n) => n.kind === 'ended' && n.benefit_id === 'targeted_social_assistance'));
  });
});

describe('old-age pension, disability and unemployment', () => {
  test('a woman is offered the pension on the day she reaches 64 years 6 months, and confirms it in one step', async () => {
    ids.pensioner = (await createCitizen(t.ctx.db, { birth_date: '1961-12-20', sex: 'F' })).citizen_id;
    day('2026-06-19');
    await record(ids.pensioner, 'insurance_record', '2026-06-01', { months: 310 });
    assert.equal((await offers(ids.pensioner, 'old_age_pension')).length, 0);
    day('2026-06-20');
    await sweep(t.ctx.db, rb, todayOf(t.ctx));
    const [o] = await offers(ids.pensioner, 'old_age_pension');
    assert.equal(o!.amount_azn, 320);
    const h = await loginAs(ids.pensioner);
    const res = await t.app.inject({ method: 'POST', url: `/api/benefits/offers/${o!.offer_id}/consent`, headers: h });
    assert.equal(res.statusCode, 200, res.body);
    const mine = body<{ assignments: { benefit: string; amountAzn: number; legalBasis: string }[] }>(await t.app.inject({ method: 'GET', url: '/api/benefits/mine', headers: h }));
    assert.deepEqual(mine.assignments.map((a) => [a.benefit, a.amountAzn]), [['old_age_pension', 320]]);
    assert.match(mine.assignments[0]!.legalBasis, /Labour Pensions/);
  });

  test('the pension is the capital divided by the expected months, never below the minimum', async () => {
    // 65-year-old men on 2026-06-20; expected_pension_payment_months 144, minimum_pension 320.
    const rich = (await createCitizen(t.ctx.db, { birth_date: '1961-01-10', sex: 'M' })).citizen_id;
    const modest = (await createCitizen(t.ctx.db, { birth_date: '1961-02-10', sex: 'M' })).citizen_id;
    day('2026-06-20');
    await record(rich, 'insurance_record', '2026-06-01', { months: 120, pensionCapitalAzn: 60000 }); // capital test: 60,000 ≥ 320 × 144
    await record(modest, 'insurance_record', '2026-06-01', { months: 310, pensionCapitalAzn: 30000 }); // record test; 30,000 / 144 = 208.33
    assert.deepEqual((await offers(rich, 'old_age_pension')).map((o) => o.amount_azn), [416.67]); // 60,000 / 144 = 416.666…
    assert.deepEqual((await offers(modest, 'old_age_pension')).map((o) => o.amount_azn), [320]);
  });

  test('a disability assessment assigns the allowance for the degree; a new degree recalculates it', async () => {
    const p = (await createCitizen(t.ctx.db, { birth_date: '1975-01-01' })).citizen_id;
    day('2026-06-20');
    await record(p, 'disability_assessment', '2026-06-18', { degree: 2, percent: 70, reviewOn: '2027-06-18' });
    assert.deepEqual((await assignments(p, 'disability_allowance')).map((a) => [a.amount_azn, a.period_from, a.period_to]), [[250, '2026-06-20', '2027-06-18']]);
    day('2026-08-01');
    await record(p, 'disability_assessment', '2026-07-30', { degree: 1, percent: 90 });
    assert.deepEqual((await assignments(p, 'disability_allowance')).map((a) => [a.status, a.amount_azn, a.period_from, a.period_to]), [
      ['ended', 250, '2026-06-20', '2026-08-01'], ['active', 300, '2026-08-01', null],
    ]);
  });

  test('a child\'s disability assessment assigns the child allowance until the 18th birthday, not the adult one', async () => {
    const child = (await createCitizen(t.ctx.db, { birth_date: '2014-09-05' })).citizen_id;
    day('2026-06-20');
    await record(child, 'disability_assessment', '2026-06-15', { degree: 3, percent: 50 });
    assert.deepEqual((await assignments(child, 'child_disability_allowance')).map((a) => [a.status, a.amount_azn, a.period_from, a.period_to]), [['active', 150, '2026-06-20', '2032-09-05']]);
    assert.deepEqual(await assignments(child, 'disability_allowance'), []);
  });

  test('a sweep ends an allowance a condition over the person now fails (a death entered without an event)', async () => {
    // A sweep leaves out early the subjects a condition over their own row fails, unless a
    // decision is open for them: this one has an open assignment, so it must still be ended.
    const p = (await createCitizen(t.ctx.db, { birth_date: '1972-03-03' })).citizen_id;
    day('2026-08-10');
    await record(p, 'disability_assessment', '2026-08-05', { degree: 3, percent: 45 });
    assert.deepEqual((await assignments(p, 'disability_allowance')).map((a) => a.status), ['active']);
    await t.ctx.db.updateTable('citizens').set({ death_date: '2026-08-20' }).where('citizen_id', '=', p).execute();
    const first = await sweep(t.ctx.db, rb, '2026-09-01');
    assert.ok(first.disability_allowance!.ended >= 1);
    assert.deepEqual((await assignments(p, 'disability_allowance')).map((a) => [a.status, a.ended_reason, a.period_to]), [['ended', 'not_eligible', '2026-09-01']]);
    const again = await sweep(t.ctx.db, rb, '2026-09-01');
    assert.equal(Object.values(again).reduce((n, r) => n + r.assigned + r.offered + r.ended + r.recalculated + r.withdrawn, 0), 0);
    assert.equal(await countOverlaps(t.ctx.db), 0);
  });

  test('a staff cut offers the unemployment insurance payment: 50 % of 1000 + 5 % for one child', async () => {
    const w = (await createCitizen(t.ctx.db, { birth_date: '1988-01-01' })).citizen_id;
    const k = (await createCitizen(t.ctx.db, { birth_date: '2019-01-01' })).citizen_id;
    await createHousehold(t.ctx.db, [{ citizenId: w, relation: 'head' }, { citizenId: k, relation: 'child' }]);
    day('2026-09-20');
    await record(w, 'insurance_record', '2026-09-01', { months: 40 });
    await record(w, 'employment_end', '2026-09-15', { employer: 'Zavod', reason: 'staff_cut', averageWageAzn: 1000 });
    const [o] = await offers(w, 'unemployment_insurance');
    assert.deepEqual([o!.amount_azn, o!.period_from, o!.period_to], [525, '2026-09-15', '2027-03-15']);
    const r = await t.app.inject({ method: 'GET', url: `/api/benefits/explain?citizenId=${w}&benefit=unemployment_insurance`, headers: agent });
    assert.equal(r.statusCode, 200, r.body);
    const trace = body<{ subjects: { outcome: string; trace: { condition: string; parameters: { name: string; value: number; from: string }[] }[] }[] }>(r);
    assert.equal(trace.subjects[0]!.outcome, 'eligible');
    assert.deepEqual(trace.subjects[0]!.trace.map((s) => s.condition), ['alive', 'insured_reason', 'insured_long_enough', 'within_period']);
  });
});

describe('explain, rules explorer, simulator', () => {
  test('a citizen asks why; another citizen may not; each look is audited', async () => {
    day('2026-05-02');
    const own = await t.app.inject({ method: 'GET', url: `/api/benefits/explain?citizenId=${ids.head}&benefit=targeted_social_assistance`, headers: citizenHeaders.get(ids.head)! });
    assert.equal(own.statusCode, 200, own.body);
    const b = body<{ subjects: { outcome: string; trace: { condition: string; explanation: string; facts: Record<string, string> }[] }[] }>(own);
    const step = b.subjects[0]!.trace.find((s) => s.condition === 'income_below_need')!;
    assert.equal(b.subjects[0]!.outcome, 'not_eligible');
    assert.equal(step.explanation, 'The family\'s average monthly income (900 AZN) is not below the need criterion (300 × 3)');
    const other = await t.app.inject({ method: 'GET', url: `/api/benefits/explain?citizenId=${ids.pensioner}&benefit=old_age_pension`, headers: citizenHeaders.get(ids.head)! });
    assert.equal(other.statusCode, 403);
    const byOfficer = await t.app.inject({ method: 'GET', url: `/api/benefits/explain?citizenId=${ids.pensioner}&benefit=old_age_pension`, headers: officer });
    assert.equal(byOfficer.statusCode, 200);
    // The amount's own parameters, with the date each took effect and its sources.
    const pension = body<{ subjects: { amount: { amountAzn: number; parameters: { name: string; value: number; from: string; sources: { url?: string }[] }[] } | null }[] }>(byOfficer);
    const minimum = pension.subjects[0]!.amount!.parameters.find((p) => p.name === 'minimum_pension')!;
    assert.ok(minimum.value > 0 && /^\d{4}-\d{2}-\d{2}$/.test(minimum.from), JSON.stringify(minimum));
    assert.ok(minimum.sources.length > 0 && minimum.sources.every((s) => !s.url || s.url.startsWith('https://')));
    const unknown = await t.app.inject({ method: 'GET', url: `/api/benefits/explain?citizenId=${ids.pensioner}&benefit=moon_pension`, headers: officer });
    assert.equal(unknown.statusCode, 404);
    const audits = await t.ctx.db.selectFrom('audit_log').select(['citizen_id']).where('action', '=', 'benefit.explain').execute();
    assert.ok(audits.some((a) => a.citizen_id === ids.pensioner));
  });

  test('the rules explorer lists every rule with versions, dates and parameters', async () => {
    const r = body<{ items: { id: string; versions: { effectiveFrom: string; parameters: { name: string }[] }[] }[] }>(await t.app.inject({ method: 'GET', url: '/api/rules', headers: officer }));
    assert.equal(r.items.length, 8);
    const tsa = r.items.find((i) => i.id === 'targeted_social_assistance')!;
    assert.equal(tsa.versions[0]!.effectiveFrom, '2022-01-01');
    assert.deepEqual(tsa.versions[0]!.parameters.map((p) => p.name), ['need_criterion', 'tsa_period_months']);
  });

  test('what if the need criterion were 400: the family at the criterion gains, with the cost by region', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/rules/simulate', headers: analyst, payload: { parameter: 'need_criterion', value: 400, from: '2026-05-02' } });
    assert.equal(res.statusCode, 200, res.body);
    const s = body<{ gainers: number; losers: number; costChangeAzn: number; regions: { region: string; gainers: number }[] }>(res);
    assert.equal(s.gainers, 1);
    assert.equal(s.losers, 0);
    assert.equal(s.costChangeAzn, 300); // 400 × 3 − 900
    assert.equal(s.regions.reduce((n, r) => n + r.gainers, 0), 1);
    const bad = await t.app.inject({ method: 'POST', url: '/api/rules/simulate', headers: analyst, payload: { parameter: 'no_such', value: 1, from: '2026-05-02' } });
    assert.equal(bad.statusCode, 400);
  });
});

describe('the outbox dispatcher', () => {
  test('a failing handler is retried after a back-off and the error is kept', async () => {
    let calls = 0;
    const d = createOutboxDispatcher(t.ctx.db, {
      'registry.citizen.created': async () => { calls++; if (calls === 1) throw new Error('boom'); },
    }, { backoffMs: () => 60_000 });
    await t.ctx.db.transaction().execute((trx) => publishEvent(trx, 'registry.citizen.created', { citizenId: ids.head }));
    assert.equal(await d.drain(), 1);
    const row = await t.ctx.db.selectFrom('outbox').selectAll().where('topic', '=', 'registry.citizen.created').orderBy('event_id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual([row.attempts, row.last_error, row.processed_at], [1, 'boom', null]);
    assert.ok(row.available_at.getTime() > Date.now() + 50_000);
    assert.equal(await d.drain(), 0); // not before the back-off
    await t.ctx.db.updateTable('outbox').set({ available_at: new Date(Date.now() - 1000) }).where('event_id', '=', row.event_id).execute();
    assert.equal(await d.drain(), 1);
    const done = await t.ctx.db.selectFrom('outbox').selectAll().where('event_id', '=', row.event_id).executeTakeFirstOrThrow();
    assert.ok(done.processed_at);
    assert.equal(calls, 2);
  });

  test('a committed event wakes a started dispatcher through NOTIFY, without waiting for the poll', async () => {
    const notifier = createNotifier(t.database);
    const seen: number[] = [];
    const d = createOutboxDispatcher(t.ctx.db, { 'registry.citizen.created': async (_trx, e) => { seen.push(e.payload.citizenId); } },
      { notifier, pollMs: 600_000 });
    d.start();
    try {
      await new Promise((r) => setTimeout(r, 300)); // the first (empty) drain and LISTEN
      await t.ctx.db.transaction().execute((trx) => publishEvent(trx, 'registry.citizen.created', { citizenId: ids.spouse }));
      for (let k = 0; k < 100 && !seen.includes(ids.spouse); k++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(seen.includes(ids.spouse), 'not woken within 5 s while the poll is 10 min');
    } finally {
      await d.stop();
      await notifier.close();
    }
  });

  test('events are claimed in batches; a failing batch is retried one event at a time and only the bad one is counted', async () => {
    const batches: number[] = [];
    const singles: number[] = [];
    const d = createOutboxDispatcher(t.ctx.db, {
      'registry.citizen.created': async (_trx, e) => { singles.push(e.payload.citizenId); if (e.payload.citizenId === -2) throw new Error('bad event'); },
    }, {
      batchSize: 10, backoffMs: () => 60_000,
      batchHandlers: { 'registry.citizen.created': async (_trx, es) => { batches.push(es.length); if (es.some((e) => e.payload.citizenId === -2)) throw new Error('bad batch'); } },
    });
    await t.ctx.db.transaction().execute(async (trx) => {
      for (const citizenId of [-1, -3, -4]) await publishEvent(trx, 'registry.citizen.created', { citizenId });
    });
    assert.equal(await d.drain(), 3);
    assert.deepEqual([batches, singles], [[3], []]);
    await t.ctx.db.transaction().execute(async (trx) => {
      for (const citizenId of [-1, -2, -3]) await publishEvent(trx, 'registry.citizen.created', { citizenId });
    });
    assert.equal(await d.drain(), 3);
    assert.deepEqual([batches, singles], [[3, 3], [-1, -2, -3]]);
    const rows = await t.ctx.db.selectFrom('outbox').select(['payload', 'attempts', 'processed_at', 'last_error']).where('topic', '=', 'registry.citizen.created')
      .orderBy('event_id', 'desc').limit(3).execute();
    assert.deepEqual(rows.map((r) => [(r.payload as { citizenId: number }).citizenId, r.attempts, r.processed_at !== null, r.last_error]).reverse(),
      [[-1, 1, true, null], [-2, 1, false, 'bad event'], [-3, 1, true, null]]);
  });
});

test('the server refuses to start on a broken parameter file', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dost-broken-'));
  try {
    await writeFile(path.join(dir, 'p.json'), '{\n  "meta": { "title": "t", "description": "d", "sources": [{ "id": "1", "title": "s" }] },\n  "parameters": { "need_criterion": { "unit": "AZN", "description": "d", "values": [{ "from": "2026-13-01", "value": 300, "source_ids": ["1"] }] } }\n}\n');
    await assert.rejects(
      buildServer(t.ctx, [(app, ctx) => registerBenefitsRoutes(app, ctx, () => loadRuleBook({ parametersDir: dir }))]),
      (e: unknown) => e instanceof RulesLoadError && e.problems[0]!.file === 'data/parameters/p.json' && e.problems[0]!.path === '/parameters/need_criterion/values/0/from' && e.problems[0]!.line === 3,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
