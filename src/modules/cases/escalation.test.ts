import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createUser, findApplicableService } from '../../test/factories.ts';
import type { FieldOut } from '../catalog/index.ts';
import { escalateOverdueCases } from './escalation.ts';
import { sampleAnswers } from './sample-answers.ts';

// Overdue cases escalate by the workflow table's ESCALATION rules: level 1 one working day past
// the SLA due date (the center manager is told), level 2 five working days past (head office).

let t: TestApp;
type Headers = Record<string, string>;
// Signed in afresh whenever the clock has moved (a session lasts at most 30 days of the test clock).
let users: Record<'operator' | 'officer' | 'manager' | 'otherManager' | 'admin', { username: string; password: string }>;
const as = (who: keyof typeof users): Promise<Headers> => t.login(users[who].username, users[who].password);
let service: { service_code: string; sla_working_days: number };
let fields: FieldOut[];

const SUBMITTED = '2026-11-02T06:00:00Z'; // Mon, 10:00 in Baku
/** 10:00 in Baku on a date. */
const bakuMorning = (date: string) => `${date}T06:00:00Z`;

async function submitCase(): Promise<{ reference: string; slaDueOn: string }> {
  const c = await createCitizen(t.ctx.db);
  const res = await t.app.inject({
    method: 'POST', url: '/api/applications', headers: { ...(await as('operator')), 'idempotency-key': crypto.randomUUID() },
    payload: { serviceCode: service.service_code, citizenId: c.citizen_id, data: sampleAnswers(fields) },
  });
  assert.equal(res.statusCode, 201, res.body);
  return body<{ reference: string; slaDueOn: string }>(res);
}

const getCase = async (reference: string) => {
  const res = await t.app.inject({ url: `/api/applications/${reference}`, headers: await as('officer') });
  assert.equal(res.statusCode, 200, res.body);
  return body<{ status: string; slaState: string; actions: { action: string; actorRole: string; actorName: string | null }[] }>(res);
};

const notices = async (who: keyof typeof users) => {
  const res = await t.app.inject({ url: '/api/staff/notifications', headers: await as(who) });
  assert.equal(res.statusCode, 200, res.body);
  return body<{ items: { reference: string; level: number; recipientRole: string; overdueWorkingDays: number; escalationLevel: number }[]; total: number }>(res);
};

const escalationLevel = async (reference: string) =>
  (await t.ctx.db.selectFrom('applications').select('escalation_level').where('reference', '=', reference).executeTakeFirstOrThrow()).escalation_level;

before(async () => {
  t = await createTestApp();
  t.setNow(SUBMITTED);
  const db = t.ctx.db;
  const op = await createUser(db, { roles: ['operator'], centerCode: 'BAKU-1' });
  const off = await createUser(db, { roles: ['officer'] });
  const mgr = await createUser(db, { roles: ['center_manager'], centerCode: 'BAKU-1' });
  const mgr2 = await createUser(db, { roles: ['center_manager'], centerCode: 'BAKU-2' });
  const adm = await createUser(db, { roles: ['admin'] });
  users = { operator: op, officer: off, manager: mgr, otherManager: mgr2, admin: adm };
  service = await findApplicableService(db);
  const r = await t.app.inject({ url: `/api/catalog/services/${service.service_code}` });
  fields = body<{ form: { fields: FieldOut[] } }>(r).form.fields;
});
after(() => t.close());

test('an overdue case escalates to its center manager, then to head office, each level once', async () => {
  t.setNow(SUBMITTED);
  const { reference, slaDueOn } = await submitCase();
  const cal = t.ctx.calendar;

  t.setNow(bakuMorning(slaDueOn)); // due today: not overdue yet
  assert.equal((await escalateOverdueCases(t.ctx)).escalated, 0);
  assert.equal(await escalationLevel(reference), 0);

  t.setNow(bakuMorning(cal.addWorkingDays(slaDueOn, 1)));
  const first = await escalateOverdueCases(t.ctx);
  assert.equal(first.escalated, 1);
  assert.equal(first.notified, 1);
  assert.equal(await escalationLevel(reference), 1);
  const c = await getCase(reference);
  assert.equal(c.status, 'submitted'); // escalation does not change the status
  const esc = c.actions.filter((a) => a.action === 'escalate');
  assert.equal(esc.length, 1);
  assert.equal(esc[0]!.actorRole, 'system');
  const mine = (await notices('manager')).items.filter((n) => n.reference === reference);
  assert.deepEqual(mine.map((n) => [n.level, n.recipientRole, n.overdueWorkingDays]), [[1, 'center_manager', 1]]);
  assert.equal((await notices('otherManager')).items.filter((n) => n.reference === reference).length, 0); // another center's manager
  assert.equal((await notices('admin')).items.filter((n) => n.reference === reference).length, 0); // head office only at level 2

  // A re-run (the same day, or later before level 2) never escalates to the same level again.
  assert.equal((await escalateOverdueCases(t.ctx)).escalated, 0);
  t.setNow(bakuMorning(cal.addWorkingDays(slaDueOn, 4)));
  assert.equal((await escalateOverdueCases(t.ctx)).escalated, 0);
  assert.equal((await getCase(reference)).actions.filter((a) => a.action === 'escalate').length, 1);
  assert.equal((await notices('manager')).items.filter((n) => n.reference === reference).length, 1);

  t.setNow(bakuMorning(cal.addWorkingDays(slaDueOn, 5)));
  const second = await escalateOverdueCases(t.ctx);
  assert.equal(second.escalated, 1);
  assert.equal(await escalationLevel(reference), 2);
  const hq = (await notices('admin')).items.filter((n) => n.reference === reference);
  assert.deepEqual(hq.map((n) => [n.level, n.recipientRole, n.escalationLevel]), [[2, 'admin', 2]]);
  t.setNow(bakuMorning(cal.addWorkingDays(slaDueOn, 30)));
  assert.equal((await escalateOverdueCases(t.ctx)).escalated, 0);
  assert.equal((await getCase(reference)).actions.filter((a) => a.action === 'escalate').length, 2);
});

test('a case found far overdue takes every level it missed, in order; a paused clock never escalates', async () => {
  t.setNow(SUBMITTED);
  const late = await submitCase();
  const paused = await submitCase();
  for (const [action, extra] of [['start_review', {}], ['request_info', { comment: 'Need the birth certificate' }]] as const) {
    const r = await t.app.inject({ method: 'POST', url: `/api/applications/${paused.reference}/actions`, headers: await as('officer'), payload: { action, ...extra } });
    assert.equal(r.statusCode, 200, r.body);
  }
  t.setNow(bakuMorning(t.ctx.calendar.addWorkingDays(late.slaDueOn, 20)));
  await escalateOverdueCases(t.ctx);
  const levels = (await getCase(late.reference)).actions.filter((a) => a.action === 'escalate');
  assert.equal(levels.length, 2);
  assert.equal(await escalationLevel(late.reference), 2);
  assert.equal(await escalationLevel(paused.reference), 0);
  assert.equal((await getCase(paused.reference)).actions.some((a) => a.action === 'escalate'), false);
});

test('nobody can take the escalate action through the API', async () => {
  t.setNow(SUBMITTED);
  const { reference } = await submitCase();
  for (const who of ['officer', 'manager'] as const) {
    const headers = await as(who);
    const r = await t.app.inject({ method: 'POST', url: `/api/applications/${reference}/actions`, headers, payload: { action: 'escalate' } });
    assert.equal(r.statusCode, 400, r.body);
  }
});

test('staff notices are for supervisors only', async () => {
  const r = await t.app.inject({ url: '/api/staff/notifications', headers: await as('officer') });
  assert.equal(r.statusCode, 403);
  assert.equal((await t.app.inject({ url: '/api/staff/notifications' })).statusCode, 401);
});
