import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createHousehold, createUser } from '../../test/factories.ts';
import type { FieldOut } from '../catalog/index.ts';
import { sampleAnswers } from './sample-answers.ts';

let t: TestApp;
let citizenId: number;
let memberId: number;
let householdId: number;
const h: Record<'citizen' | 'member' | 'agent' | 'operator', Record<string, string>> = {} as never;

const submit = (headers: Record<string, string>, payload: unknown, lang = 'az') =>
  t.app.inject({ method: 'POST', url: '/api/applications', headers: { ...headers, 'idempotency-key': crypto.randomUUID(), 'accept-language': lang }, payload: payload as object });
const answers = async (code: string) => sampleAnswers(body<{ form: { fields: FieldOut[] } }>(await t.app.inject({ url: `/api/catalog/services/${code}` })).form.fields);
const countApplications = async () => Number((await t.ctx.db.selectFrom('applications').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
/** A service whose passport offers exactly these channels. */
async function serviceWith(channels: string[], extra: (s: { channels: string[]; proactive: boolean; benefit_id: string | null }) => boolean = () => true) {
  const rows = await t.ctx.db.selectFrom('services').select(['service_code', 'channels', 'proactive', 'benefit_id']).where('active', '=', true).orderBy('service_code').execute();
  const s = rows.find((r) => r.channels.length === channels.length && channels.every((c) => r.channels.includes(c)) && !r.benefit_id && extra(r));
  assert.ok(s, `a service offered through ${channels.join('+')} only`);
  return s.service_code;
}

before(async () => {
  t = await createTestApp();
  t.setNow('2026-11-02T06:00:00Z');
  const db = t.ctx.db;
  const c = await createCitizen(db, { sex: 'F', birth_date: '1985-04-01' });
  const m = await createCitizen(db, { sex: 'M', birth_date: '1983-02-11' });
  citizenId = c.citizen_id;
  memberId = m.citizen_id;
  householdId = (await createHousehold(db, [{ citizenId, relation: 'head' }, { citizenId: memberId, relation: 'spouse' }])).household_id;
  const users = {
    citizen: await createUser(db, { roles: ['citizen'], citizenId }),
    member: await createUser(db, { roles: ['citizen'], citizenId: memberId }),
    agent: await createUser(db, { roles: ['call_center_agent'] }),
    operator: await createUser(db, { roles: ['operator'], centerCode: 'BAKU-1' }),
  };
  for (const [k, u] of Object.entries(users)) h[k as keyof typeof h] = await t.login(u.username, u.password);
});
after(() => t.close());

describe('each channel files only what the passport offers through it', () => {
  test('a 142 agent cannot file a center-only service; the refusal says why in the reader\'s language and writes nothing', async () => {
    const code = await serviceWith(['center']);
    const before = await countApplications();
    const r = await submit(h.agent, { serviceCode: code, citizenId, data: await answers(code) }, 'ru');
    assert.equal(r.statusCode, 409, r.body);
    const b = body<{ code: string; message: string }>(r);
    assert.equal(b.code, 'SERVICE_NOT_BY_PHONE');
    assert.match(b.message, /по телефону/);
    assert.doesNotMatch(b.message.replace(/DOST/g, ''), /[A-Za-z]/, 'no English or codes inside the Russian message (the agency keeps its name)');
    assert.equal(await countApplications(), before);
    // the same service at a counter is fine
    assert.equal((await submit(h.operator, { serviceCode: code, citizenId, data: await answers(code) })).statusCode, 201);
  });

  test('a phone service is filed by the agent; a center-and-phone one is not filed online', async () => {
    const phone = await serviceWith(['center', 'call_center']);
    assert.equal((await submit(h.agent, { serviceCode: phone, citizenId, data: await answers(phone) })).statusCode, 201);
    const r = await submit(h.citizen, { serviceCode: phone, data: await answers(phone) }, 'en');
    assert.equal(body<{ code: string }>(r).code, 'SERVICE_NOT_ONLINE');
  });
});

describe('no second case for a benefit already assigned or offered', () => {
  const assign = (benefit: string, subject: string, beneficiary: number, over: Partial<{ status: 'active' | 'ended'; period_to: string | null }> = {}) =>
    t.ctx.db.insertInto('benefit_assignments').values({
      citizen_id: beneficiary, benefit_id: benefit, subject_key: subject, rule_version: 1, payment: 'monthly', amount_azn: 250,
      period_from: '2026-01-01', period_to: null, eval_date: '2026-01-01', parameters: JSON.stringify([]), offer_id: null, ended_reason: null, ...over,
    }).returningAll().executeTakeFirstOrThrow();

  test('TSA paid to the household: a member applying online is told it is already assigned, with the date', async () => {
    const tsa = '99-07-01-00';
    const a = await assign('targeted_social_assistance', `household:${householdId}`, citizenId);
    const r = await submit(h.member, { serviceCode: tsa, data: await answers(tsa) });
    assert.equal(r.statusCode, 409, r.body);
    const b = body<{ code: string; message: string }>(r);
    assert.equal(b.code, 'BENEFIT_ALREADY_ASSIGNED');
    assert.match(b.message, /2026-01-01/);
    // once it has ended, applying again is allowed
    await t.ctx.db.updateTable('benefit_assignments').set({ status: 'ended', period_to: '2026-10-01' }).where('assignment_id', '=', a.assignment_id).execute();
    assert.equal((await submit(h.member, { serviceCode: tsa, data: await answers(tsa) })).statusCode, 201);
  });

  test('an assignment ending in the past does not count; a pending offer sends the citizen to confirm it', async () => {
    const disability = '99-05-10-00';
    await assign('disability_allowance', 'person', memberId, { period_to: '2026-06-01' });
    assert.equal((await submit(h.operator, { serviceCode: disability, citizenId: memberId, data: await answers(disability) })).statusCode, 201);
    const pension = '99-05-01-00';
    await t.ctx.db.insertInto('benefit_offers').values({
      citizen_id: citizenId, benefit_id: 'old_age_pension', subject_key: 'person', rule_version: 1, amount_azn: 320,
      period_from: '2026-10-01', period_to: null, eval_date: '2026-10-01', parameters: JSON.stringify([]),
    }).execute();
    const r = await submit(h.citizen, { serviceCode: pension, data: await answers(pension) });
    assert.equal(body<{ code: string }>(r).code, 'BENEFIT_OFFER_PENDING', r.body);
  });

  test('every benefit a passport names is a rule the engine knows', async () => {
    const { getRuleBook } = await import('../benefits/index.ts');
    const rb = await getRuleBook();
    const named = await t.ctx.db.selectFrom('services').select(['service_code', 'benefit_id']).where('benefit_id', 'is not', null).execute();
    assert.ok(named.length >= 8);
    for (const s of named) assert.ok(rb.byId.has(s.benefit_id!), `${s.service_code} names ${s.benefit_id}`);
  });
});
