import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body } from '../../test/app.ts';
import { createCitizen, createUser, findApplicableService } from '../../test/factories.ts';
import type { FieldOut } from '../catalog/index.ts';
import { sampleAnswers } from '../cases/sample-answers.ts';
import { CENTER, createQueueTestApp, SVC, type QueueTestApp } from '../queue/test-kit.ts';
import { verifyAuditChain } from '../../platform/audit.ts';

// Every request that reads or changes a citizen's personal data writes exactly one audit row,
// naming every citizen it touched; an inbox page of several applications is one row, not one per line.

let t: QueueTestApp;
let agent: string;
let officer: string;
let admin: string;
const citizens: { id: number; fin: string; token: string }[] = [];

async function tokenOf(username: string, password: string) {
  const r = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { username, password } });
  return body<{ token: string }>(r).token;
}
const head = async () => Number((await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.coalesce(eb.fn.max('audit_id'), eb.lit(0)).as('n')).executeTakeFirstOrThrow()).n);

/** Runs one request and returns the audit rows it wrote (asserting the status). */
async function audited(status: number, token: string, method: string, url: string, payload?: unknown) {
  const from = await head();
  const r = await t.as(token, method, url, payload);
  assert.equal(r.statusCode, status, `${method} ${url}: ${r.body}`);
  const rows = await t.ctx.db.selectFrom('audit_log').select(['action', 'citizen_id', 'citizen_ids', 'request_id']).where('audit_id', '>', from).orderBy('audit_id').execute();
  return { res: r, rows: rows.map((x) => ({ ...x, citizen_ids: x.citizen_ids.map(Number).sort((a, b) => a - b) })) };
}
async function once(status: number, token: string, method: string, url: string, action: string, touched: number[], payload?: unknown) {
  const { res, rows } = await audited(status, token, method, url, payload);
  assert.equal(rows.length, 1, `${method} ${url} wrote ${rows.length} audit rows: ${JSON.stringify(rows)}`);
  assert.equal(rows[0]!.action, action);
  assert.deepEqual(rows[0]!.citizen_ids, [...touched].sort((a, b) => a - b), `${method} ${url}`);
  assert.equal(rows[0]!.citizen_id, touched.length === 1 ? touched[0] : null);
  assert.ok(rows[0]!.request_id, 'the row names its request');
  return res;
}

before(async () => {
  t = await createQueueTestApp();
  agent = await t.token('call_center_agent', null);
  officer = await t.token('officer', null);
  admin = await t.token('admin', null);
  for (let i = 0; i < 3; i++) {
    const c = await createCitizen(t.ctx.db);
    const u = await createUser(t.ctx.db, { roles: ['citizen'], citizenId: c.citizen_id });
    citizens.push({ id: c.citizen_id, fin: c.fin, token: await tokenOf(u.username, u.password) });
  }
});
after(() => t.close());

describe('one audit row per request, naming what it touched', () => {
  test('registry: search by FIN, the record, a life event', async () => {
    const c = citizens[0]!;
    await once(200, agent, 'GET', `/api/citizens?fin=${c.fin}`, 'citizen.search', [c.id]);
    await once(200, agent, 'GET', `/api/citizens/${c.id}`, 'citizen.read', [c.id]);
    await once(201, officer, 'POST', `/api/citizens/${c.id}/life-events`, 'citizen.life_event.record', [c.id],
      { type: 'marriage', occurredOn: '2026-11-01', source: 'test', data: {} });
  });

  test('cases: the inbox page is one row naming every citizen on it; one application is one row', async () => {
    const svc = await findApplicableService(t.ctx.db);
    const detail = await t.as(undefined, 'GET', `/api/catalog/services/${svc.service_code}`);
    const fields = body<{ form: { fields: FieldOut[] } }>(detail).form.fields;
    const refs: string[] = [];
    for (const c of citizens) {
      const r = await once(201, c.token, 'POST', '/api/applications', 'application.create', [c.id], { serviceCode: svc.service_code, data: sampleAnswers(fields) });
      refs.push(body<{ reference: string }>(r).reference);
    }
    await once(200, officer, 'GET', '/api/applications?pageSize=50', 'application.list', citizens.map((c) => c.id));
    await once(200, officer, 'GET', `/api/applications/${refs[0]}`, 'application.read', [citizens[0]!.id]);
  });

  test('a citizen reading their own record, applications and benefits', async () => {
    const c = citizens[0]!;
    await once(200, c.token, 'GET', '/api/citizens/me', 'citizen.read', [c.id]);
    await once(200, c.token, 'GET', '/api/applications/mine', 'application.list_own', [c.id]);
    await once(200, c.token, 'GET', '/api/benefits/mine', 'benefit.list_own', [c.id]);
  });

  test('queue: an agent booking an appointment for a citizen', async () => {
    t.setNow('2026-11-24T05:00:00Z');
    const c = citizens[1]!;
    await once(201, agent, 'POST', '/api/queue/appointments', 'queue.book', [c.id],
      { centerCode: CENTER, serviceCode: SVC.labour, startsAt: '2026-11-24T07:00:00.000Z', citizenId: c.id });
  });

  test('benefits: an agent reads the explanation of a decision', async () => {
    const c = citizens[2]!;
    await once(200, agent, 'GET', `/api/benefits/explain?citizenId=${c.id}&benefit=unemployment_insurance`, 'benefit.explain', [c.id]);
  });

  test('identity: an administrator links a new user to a registry person', async () => {
    const c = citizens[2]!;
    await once(201, admin, 'POST', '/api/admin/users', 'user.link_citizen', [c.id],
      { username: `linked-${c.id}`, displayName: 'Linked person', password: 'a-long-enough-password', roles: ['citizen'], citizenId: c.id });
  });

  test('audit: the administrator\'s own search is audited, naming the citizens it showed', async () => {
    const c = citizens[0]!;
    // The page shows the inbox row too, so the search touched every citizen that row names.
    const r = await once(200, admin, 'GET', `/api/admin/audit?fin=${c.fin}`, 'audit.search', citizens.map((x) => x.id));
    const items = body<{ items: { action: string; citizenIds: number[] }[] }>(r).items;
    // The FIN finds the rows about that person alone and the inbox row that named them among others.
    assert.ok(items.some((i) => i.action === 'citizen.read'));
    assert.ok(items.some((i) => i.action === 'application.list' && i.citizenIds.length === 3));
    assert.equal((await verifyAuditChain(t.ctx.db)).firstBreak, null);
  });
});
