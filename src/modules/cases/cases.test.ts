import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createHousehold, createUser, findApplicableService } from '../../test/factories.ts';
import type { FieldOut } from '../catalog/index.ts';
import { sampleAnswers } from './sample-answers.ts';

let t: TestApp;
let citizenHeaders: Record<string, string>;
let otherCitizenHeaders: Record<string, string>;
let officerHeaders: Record<string, string>;
let operatorHeaders: Record<string, string>;
let analystHeaders: Record<string, string>;
let citizenId: number;
let service: { service_code: string; form: { fields: unknown[] }; sla_working_days: number };
let officerId: string;

const validAnswers = (f: FieldOut[]) => sampleAnswers(f);

async function fields(): Promise<FieldOut[]> {
  const r = await t.app.inject({ url: `/api/catalog/services/${service.service_code}` });
  return body<{ form: { fields: FieldOut[] } }>(r).form.fields;
}

const submit = (headers: Record<string, string>, payload: unknown, key = crypto.randomUUID()) =>
  t.app.inject({ method: 'POST', url: '/api/applications', headers: { ...headers, 'idempotency-key': key }, payload: payload as object });

before(async () => {
  t = await createTestApp({ sessionTtlHours: 24 * 30 });
  t.setNow('2026-11-02T06:00:00Z');
  const db = t.ctx.db;
  const c = await createCitizen(db, { first_name: 'Günay', last_name: 'Həsənova', sex: 'F', birth_date: '1990-06-01' });
  const child = await createCitizen(db, { first_name: 'Murad', birth_date: '2020-03-03' });
  await createHousehold(db, [{ citizenId: c.citizen_id, relation: 'head' }, { citizenId: child.citizen_id, relation: 'child' }]);
  citizenId = c.citizen_id;
  const other = await createCitizen(db);
  const u = await createUser(db, { username: 'gunay', roles: ['citizen'], citizenId });
  const o = await createUser(db, { username: 'other', roles: ['citizen'], citizenId: other.citizen_id });
  const off = await createUser(db, { username: 'officer1', roles: ['officer'] });
  officerId = off.user_id;
  const op = await createUser(db, { username: 'operator1', roles: ['operator'], centerCode: 'BAKU-1' });
  const an = await createUser(db, { username: 'analyst1', roles: ['analyst'] });
  citizenHeaders = await t.login(u.username, u.password);
  otherCitizenHeaders = await t.login(o.username, o.password);
  officerHeaders = await t.login(off.username, off.password);
  operatorHeaders = await t.login(op.username, op.password);
  analystHeaders = await t.login(an.username, an.password);
  service = await findApplicableService(db);
});
after(() => t.close());

describe('submitting', () => {
  test('a citizen applies online; registry data is filled in, not asked for', async () => {
    const f = await fields();
    const res = await submit(citizenHeaders, { serviceCode: service.service_code, data: validAnswers(f) });
    assert.equal(res.statusCode, 201, res.body);
    const a = body<{ reference: string; status: string; channel: string; assisted: boolean; slaDueOn: string; data: Record<string, unknown>; actions: unknown[] }>(res);
    assert.match(a.reference, /^DOST-2026-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    assert.equal(a.status, 'submitted');
    assert.equal(a.channel, 'online');
    assert.equal(a.assisted, false);
    assert.equal(a.slaDueOn, t.ctx.calendar.addWorkingDays('2026-11-02', service.sla_working_days));
    assert.equal(a.actions.length, 1);
    for (const field of f.filter((x) => x.prefill === 'citizen.fin')) assert.match(String(a.data[field.name]), /^[0-9A-HJ-NP-Z]{7}$/);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('citizen_id', '=', citizenId).where('action', '=', 'application.create').execute();
    assert.equal(audit.length, 1);
    const events = await t.ctx.db.selectFrom('outbox').selectAll().where('topic', '=', 'cases.application.submitted').execute();
    assert.ok(events.some((e) => (e.payload as { reference: string }).reference === a.reference));
  });

  test('a retried request with the same Idempotency-Key returns the first application, not a second', async () => {
    const payload = { serviceCode: service.service_code, data: validAnswers(await fields()) };
    const key = crypto.randomUUID();
    const first = await submit(citizenHeaders, payload, key);
    const again = await submit(citizenHeaders, payload, key);
    assert.equal(first.statusCode, 201);
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(body(first).reference, body(again).reference);
    const n = await t.ctx.db.selectFrom('applications').select((eb) => eb.fn.countAll<number>().as('n')).where('reference', '=', String(body(first).reference)).executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 1);
    const other = await submit(citizenHeaders, { ...payload, centerCode: 'BAKU-1' }, key);
    assert.equal(other.statusCode, 422);
    assert.equal(body(other).code, 'IDEMPOTENCY_MISMATCH');
  });

  test('concurrent retries with one key create exactly one application', async () => {
    const payload = { serviceCode: service.service_code, data: validAnswers(await fields()) };
    const key = crypto.randomUUID();
    const before = await t.ctx.db.selectFrom('applications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const results = await Promise.all(Array.from({ length: 5 }, () => submit(citizenHeaders, payload, key)));
    assert.ok(results.every((r) => r.statusCode === 201), results.map((r) => r.body).join('\n'));
    assert.equal(new Set(results.map((r) => body(r).reference)).size, 1);
    const afterN = await t.ctx.db.selectFrom('applications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(afterN.n), Number(before.n) + 1);
  });

  test('bad answers are refused with every field at fault, in the caller\'s language, and nothing is written', async () => {
    const before = await t.ctx.db.selectFrom('applications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await submit({ ...citizenHeaders, 'accept-language': 'ru' }, { serviceCode: service.service_code, data: { unknown_field: 'x' } });
    assert.equal(res.statusCode, 400);
    const e = body<{ code: string; message: string; details: { field: string; code: string }[] }>(res);
    assert.equal(e.code, 'VALIDATION_FAILED');
    assert.equal(e.message, 'Данные заполнены неверно');
    assert.ok(e.details.some((d) => d.field === '/data/unknown_field'));
    const required = (await fields()).filter((f) => f.required && !f.prefill);
    for (const f of required) assert.ok(e.details.some((d) => d.field === `/data/${f.name}` && d.code === 'required'), f.name);
    const afterN = await t.ctx.db.selectFrom('applications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(afterN.n), Number(before.n));
  });

  test('a missing Idempotency-Key, an unknown service and a proactive-only service are clear 4xx errors', async () => {
    const noKey = await t.app.inject({ method: 'POST', url: '/api/applications', headers: citizenHeaders, payload: { serviceCode: service.service_code, data: {} } });
    assert.equal(noKey.statusCode, 400);
    assert.ok(body<{ details: { field: string }[] }>(noKey).details.some((d) => d.field.includes('idempotency-key')));
    const unknown = await submit(citizenHeaders, { serviceCode: '99-99-99-99', data: {} });
    assert.equal(unknown.statusCode, 404);
    const proactive = await t.ctx.db.selectFrom('services').select('service_code')
      .where((eb) => eb.not(eb(eb.val('online'), '=', eb.fn.any('channels')))).where('proactive', '=', true).executeTakeFirst();
    if (proactive) {
      const r = await submit(citizenHeaders, { serviceCode: proactive.service_code, data: {} });
      assert.equal(r.statusCode, 409);
    }
  });

  test('an operator submits on a citizen\'s behalf: recorded as assisted at the operator\'s center', async () => {
    const res = await submit(operatorHeaders, { serviceCode: service.service_code, citizenId, data: validAnswers(await fields()) });
    assert.equal(res.statusCode, 201, res.body);
    const a = body<{ assisted: boolean; channel: string; centerCode: string; citizen: { id: number } }>(res);
    assert.equal(a.assisted, true);
    assert.equal(a.channel, 'center');
    assert.equal(a.centerCode, 'BAKU-1');
    assert.equal(a.citizen.id, citizenId);
    const noCitizen = await submit(operatorHeaders, { serviceCode: service.service_code, data: {} });
    assert.equal(noCitizen.statusCode, 400);
  });

  test('an application for an unknown or deceased citizen is refused and writes nothing', async () => {
    const dead = await createCitizen(t.ctx.db, { death_date: '2026-01-10' });
    const count = async () => Number((await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'application.create').executeTakeFirstOrThrow()).n);
    const before = await count();
    const deceased = await submit(operatorHeaders, { serviceCode: service.service_code, citizenId: dead.citizen_id, data: validAnswers(await fields()) });
    assert.equal(deceased.statusCode, 409, deceased.body);
    const unknown = await submit(operatorHeaders, { serviceCode: service.service_code, citizenId: 99_999_999, data: validAnswers(await fields()) });
    assert.equal(unknown.statusCode, 404);
    assert.equal(await count(), before);
  });

  test('the prefill endpoint returns what the registry holds, by field name', async () => {
    const f = await fields();
    const r = await t.app.inject({ url: `/api/catalog/services/${service.service_code}/prefill`, headers: citizenHeaders });
    assert.equal(r.statusCode, 200);
    const values = body<{ values: Record<string, unknown> }>(r).values;
    for (const field of f.filter((x) => x.prefill === 'household.size')) assert.equal(values[field.name], 2);
    for (const field of f.filter((x) => x.prefill === 'citizen.full_name')) assert.match(String(values[field.name]), /^Həsənova Günay/);
    assert.ok(Object.keys(values).every((k) => f.some((x) => x.name === k && x.prefill)));
  });

  test('a citizen cannot apply for someone else, and an analyst cannot apply at all', async () => {
    const other = await submit(otherCitizenHeaders, { serviceCode: service.service_code, citizenId, data: validAnswers(await fields()) });
    assert.equal(other.statusCode, 403);
    const an = await submit(analystHeaders, { serviceCode: service.service_code, citizenId, data: {} });
    assert.equal(an.statusCode, 403);
  });
});

describe('working a case', () => {
  test('officer: review, request information, citizen answers, approve — the timeline records each step', async () => {
    const created = body<{ reference: string }>(await submit(citizenHeaders, { serviceCode: service.service_code, data: validAnswers(await fields()) }));
    const ref = created.reference;
    const act = (headers: Record<string, string>, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/applications/${ref}/actions`, headers, payload });

    const view = await t.app.inject({ url: `/api/applications/${ref}`, headers: officerHeaders });
    assert.equal(view.statusCode, 200);
    assert.deepEqual(body<{ allowedActions: string[] }>(view).allowedActions, ['assign', 'start_review']);
    assert.ok(body<{ citizen?: unknown }>(view).citizen, 'staff see the citizen');

    t.setNow('2026-11-03T06:00:00Z');
    let r = await act(officerHeaders, { action: 'start_review' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(body(r).status, 'in_review');
    assert.equal(body(r).assignedTo, officerId);

    r = await act(officerHeaders, { action: 'request_info' });
    assert.equal(r.statusCode, 400, 'a comment is required');
    r = await act(officerHeaders, { action: 'request_info', comment: 'Əmək kitabçasının surətini əlavə edin' });
    assert.equal(r.statusCode, 200);
    assert.equal(body(r).slaState, 'paused');

    r = await act(otherCitizenHeaders, { action: 'provide_info', comment: 'x' });
    assert.equal(r.statusCode, 404, 'not their application: answered as if it did not exist');
    t.setNow('2026-11-05T06:00:00Z');
    r = await act(citizenHeaders, { action: 'provide_info', comment: 'Surət əlavə olundu' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(body(r).status, 'in_review');
    assert.equal(body(r).slaDueOn, t.ctx.calendar.addWorkingDays('2026-11-02', service.sla_working_days + 2));

    r = await act(citizenHeaders, { action: 'approve' });
    assert.equal(r.statusCode, 403, 'citizens do not decide');
    r = await act(officerHeaders, { action: 'approve', expectedSeq: 1 });
    assert.equal(r.statusCode, 409);
    assert.equal(body(r).code, 'STALE_VERSION');
    r = await act(officerHeaders, { action: 'approve', expectedSeq: 4 });
    assert.equal(r.statusCode, 200, r.body);
    const done = body<{ status: string; decidedAt: string; slaState: string; actions: { action: string; actorName: string | null }[]; allowedActions: string[] }>(r);
    assert.equal(done.status, 'approved');
    assert.ok(done.decidedAt);
    assert.equal(done.slaState, 'closed');
    assert.deepEqual(done.actions.map((a) => a.action), ['submit', 'start_review', 'request_info', 'provide_info', 'approve']);
    assert.deepEqual(done.allowedActions, []);

    r = await act(officerHeaders, { action: 'reject', reason: 'other' });
    assert.equal(r.statusCode, 409);
    assert.equal(body(r).code, 'INVALID_TRANSITION');

    const mine = await t.app.inject({ url: `/api/applications/${ref}`, headers: citizenHeaders });
    const timeline = body<{ actions: { action: string; actorName: string | null; comment: string | null }[] }>(mine).actions;
    assert.equal(timeline[2]!.comment, 'Əmək kitabçasının surətini əlavə edin');
    assert.equal(timeline[1]!.actorName, null, 'citizens do not see officer names');

    const history = await t.ctx.db.selectFrom('application_actions').select('seq').where('citizen_id', '=', citizenId)
      .where('application_id', '=', (await t.ctx.db.selectFrom('applications').select('application_id').where('reference', '=', ref).executeTakeFirstOrThrow()).application_id).execute();
    assert.equal(history.length, 5);
  });

  test('the action history is append-only in the database itself', async () => {
    await assert.rejects(t.ctx.db.updateTable('application_actions').set({ comment: 'changed' }).execute(), /append-only/);
    await assert.rejects(t.ctx.db.deleteFrom('application_actions').execute(), /append-only/);
  });

  test('a reject needs a reason; withdraw is the citizen\'s own', async () => {
    const ref = body<{ reference: string }>(await submit(citizenHeaders, { serviceCode: service.service_code, data: validAnswers(await fields()) })).reference;
    const act = (headers: Record<string, string>, payload: object) => t.app.inject({ method: 'POST', url: `/api/applications/${ref}/actions`, headers, payload });
    assert.equal((await act(officerHeaders, { action: 'start_review' })).statusCode, 200);
    const noReason = await act(officerHeaders, { action: 'reject' });
    assert.equal(noReason.statusCode, 400);
    assert.equal((await act(otherCitizenHeaders, { action: 'withdraw' })).statusCode, 404);
    const w = await act(citizenHeaders, { action: 'withdraw' });
    assert.equal(w.statusCode, 200);
    assert.equal(body(w).status, 'withdrawn');
  });

  test('two officers acting at once: exactly one start_review succeeds', async () => {
    const off2 = await createUser(t.ctx.db, { roles: ['officer'] });
    const h2 = await t.login(off2.username, off2.password);
    const ref = body<{ reference: string }>(await submit(citizenHeaders, { serviceCode: service.service_code, data: validAnswers(await fields()) })).reference;
    const results = await Promise.all([officerHeaders, h2].map((h) =>
      t.app.inject({ method: 'POST', url: `/api/applications/${ref}/actions`, headers: h, payload: { action: 'start_review' } })));
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
  });
});

describe('lists', () => {
  test('my applications shows only mine; the inbox filters by status, service, assignee and SLA', async () => {
    const mine = body<{ items: { citizenId: number }[]; total: number }>(await t.app.inject({ url: '/api/applications/mine', headers: citizenHeaders }));
    assert.ok(mine.total >= 5);
    assert.ok(mine.items.every((i) => i.citizenId === citizenId));
    const theirs = body<{ total: number }>(await t.app.inject({ url: '/api/applications/mine', headers: otherCitizenHeaders }));
    assert.equal(theirs.total, 0);

    const inbox = body<{ items: { status: string; serviceCode: string; slaDueOn: string | null }[]; total: number }>(
      await t.app.inject({ url: `/api/applications?status=submitted&service=${service.service_code}&sort=slaDueOn`, headers: officerHeaders }));
    assert.ok(inbox.total >= 1);
    assert.ok(inbox.items.every((i) => i.status === 'submitted' && i.serviceCode === service.service_code));
    const dues = inbox.items.map((i) => i.slaDueOn!);
    assert.deepEqual(dues, [...dues].sort());

    const assigned = body<{ items: { assignedTo: string }[] }>(await t.app.inject({ url: '/api/applications?assignee=me', headers: officerHeaders }));
    assert.ok(assigned.items.length > 0 && assigned.items.every((i) => i.assignedTo === officerId));

    t.setNow('2027-06-01T06:00:00Z');
    const later = await createUser(t.ctx.db, { roles: ['officer'] });
    const laterHeaders = await t.login(later.username, later.password);
    const overdue = body<{ items: { slaState: string }[] }>(await t.app.inject({ url: '/api/applications?sla=overdue', headers: laterHeaders }));
    assert.ok(overdue.items.length > 0 && overdue.items.every((i) => i.slaState === 'overdue'));
    t.setNow('2026-11-05T06:00:00Z');

    const citizenInbox = await t.app.inject({ url: '/api/applications', headers: citizenHeaders });
    assert.equal(citizenInbox.statusCode, 403);
    const bad = await t.app.inject({ url: '/api/applications?pageSize=1000', headers: officerHeaders });
    assert.equal(bad.statusCode, 400);
  });

  test('every staff read of an application is audited; the citizen\'s own reads are not attributed to staff', async () => {
    const ref = body<{ items: { reference: string }[] }>(await t.app.inject({ url: '/api/applications/mine', headers: citizenHeaders })).items[0]!.reference;
    const before = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'application.read').executeTakeFirstOrThrow();
    await t.app.inject({ url: `/api/applications/${ref}`, headers: officerHeaders });
    const afterN = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'application.read').executeTakeFirstOrThrow();
    assert.equal(Number(afterN.n), Number(before.n) + 1);
    const other = await t.app.inject({ url: `/api/applications/${ref}`, headers: otherCitizenHeaders });
    assert.equal(other.statusCode, 404);
  });
});
