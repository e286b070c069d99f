import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { ROLES, type Role } from '../context.ts';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createUser } from '../../test/factories.ts';

let t: TestApp;
const tokens = new Map<Role, string>();
let citizenId = 0;

const SAMPLE_PARAMS: Record<string, () => string> = {
  citizenId: () => String(citizenId),
  code: () => '01-01-01-01',
  reference: () => 'DOST-2026-0000001',
  userId: () => '00000000-0000-4000-8000-000000000000',
};
const fillParams = (url: string) => url.replace(/:(\w+)/g, (_, k: string) => (SAMPLE_PARAMS[k] ?? (() => '1'))());
// Logout would end the shared tokens mid-walk; it is covered in the identity tests.
const apiRoutes = () => t.app.routeTable.filter((r) => r.url.startsWith('/api/') && r.url !== '/api/auth/logout');

before(async () => {
  t = await createTestApp();
  const c = await createCitizen(t.ctx.db);
  citizenId = c.citizen_id;
  for (const role of ROLES) {
    const u = await createUser(t.ctx.db, { roles: [role], citizenId: role === 'citizen' ? citizenId : null, centerCode: role === 'operator' ? 'BAKU-1' : null });
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { username: u.username, password: u.password } });
    tokens.set(role, body<{ token: string }>(r).token);
  }
});
after(() => t.close());

const call = (method: string, url: string, token: string | undefined, payload?: unknown) =>
  t.app.inject({
    method: method as 'GET',
    url,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(method === 'POST' && { 'idempotency-key': crypto.randomUUID() }) },
    ...(payload !== undefined && { payload: payload as object }),
  });

describe('authorization on every endpoint', () => {
  test('every API route declares who may call it, and only the catalog, reference data and sign-in are public', () => {
    const publicRoutes = apiRoutes().filter((r) => r.auth === 'public').map((r) => `${r.method} ${r.url}`).sort();
    assert.ok(t.app.routeTable.some((r) => r.url === '/api/auth/logout' && r.auth === 'authenticated'));
    assert.deepEqual(publicRoutes, [
      'GET /api/auth/oidc', 'GET /api/auth/oidc/callback', 'GET /api/auth/oidc/login',
      'GET /api/catalog/categories', 'GET /api/catalog/services', 'GET /api/catalog/services/:code',
      'GET /api/reference/centers', 'GET /api/reference/regions', 'POST /api/auth/login', 'POST /api/auth/token',
      // the front office: portal wait times and booking, kiosk, display board, survey links, appointment codes
      'GET /api/queue/appointments/:confirmation', 'GET /api/queue/centers/:centerCode/board', 'GET /api/queue/centers/:centerCode/events',
      'GET /api/queue/centers/:centerCode/services', 'GET /api/queue/slots', 'GET /api/queue/surveys/:token', 'GET /api/queue/wait-times',
      'POST /api/queue/appointments/:confirmation/cancel', 'POST /api/queue/appointments/:confirmation/move',
      'POST /api/queue/centers/:centerCode/kiosk/check-in', 'POST /api/queue/centers/:centerCode/kiosk/tickets', 'POST /api/queue/surveys/:token',
    ].sort());
    assert.ok(apiRoutes().length >= 20);
  });

  test('walking every route with every role: no session → 401, a role not listed → 403, a listed role passes the guard', async () => {
    for (const r of apiRoutes()) {
      const url = fillParams(r.url);
      const payload = r.hasBody ? {} : undefined;
      if (r.auth !== 'public') {
        const anon = await call(r.method, url, undefined, payload);
        assert.equal(anon.statusCode, 401, `${r.method} ${r.url} without a session`);
      }
      for (const role of ROLES) {
        const res = await call(r.method, url, tokens.get(role), payload);
        const allowed = r.auth === 'public' || r.auth === 'authenticated' || r.auth.includes(role);
        if (!allowed) assert.equal(res.statusCode, 403, `${r.method} ${r.url} as ${role}: ${res.body}`);
        else {
          assert.notEqual(res.statusCode, 401, `${r.method} ${r.url} as ${role}`);
          assert.ok(res.statusCode < 500, `${r.method} ${r.url} as ${role}: ${res.statusCode} ${res.body}`);
        }
      }
    }
  });
});

describe('bad input never causes a 500 or a write', () => {
  const jsonish = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(fc.constantFrom('serviceCode', 'data', 'citizenId', 'action', 'comment', 'username', 'password', 'roles', 'type', 'occurredOn', 'source', 'displayName', 'disabled', 'reason', 'expectedSeq', 'centerCode'),
      fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }))),
  );
  const queryish = fc.dictionary(
    fc.constantFrom('q', 'page', 'pageSize', 'sort', 'status', 'service', 'category', 'channel', 'fin', 'sla', 'assignee', 'from', 'to', 'citizenId', 'role', 'purpose', 'lang'),
    fc.oneof(fc.string({ maxLength: 120 }), fc.integer().map(String), fc.constantFrom('-1', '0', '1e309', 'NaN', "' or 1=1 --", '%00', 'ZZZZZZZ')),
  );

  test('generated bodies and query strings on every route get 2xx or a clear 4xx error', async () => {
    const writes = async () => Number((await t.ctx.db.selectFrom('applications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await writes();
    for (const r of apiRoutes()) {
      if (r.url === '/api/admin/import/citizens') continue; // multipart: covered by the import tests
      const role = r.auth === 'public' || r.auth === 'authenticated' ? 'admin' : r.auth[0]!;
      await fc.assert(fc.asyncProperty(jsonish, queryish, async (payload, query) => {
        const qs = new URLSearchParams(query).toString();
        const res = await call(r.method, `${fillParams(r.url)}${qs ? `?${qs}` : ''}`, tokens.get(role), r.method === 'GET' ? undefined : payload);
        assert.ok(res.statusCode < 500, `${r.method} ${r.url} ${res.statusCode} ${res.body} payload=${JSON.stringify(payload)} query=${qs}`);
        if (res.statusCode >= 400) {
          const e = body<{ code: string; message: string; details: unknown[] }>(res);
          assert.match(e.code, /^[A-Z_]+$/);
          assert.ok(e.message.length > 0);
          assert.ok(Array.isArray(e.details));
        }
      }), { numRuns: 25, seed: 20261123 });
    }
    assert.equal(await writes(), before, 'no generated request created an application');
  });

  test('malformed JSON, a wrong content type and an oversized body are 4xx', async () => {
    const token = tokens.get('admin')!;
    const malformed = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"username": ' });
    assert.equal(malformed.statusCode, 400);
    assert.equal(body(malformed).code, 'VALIDATION_FAILED');
    const text = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, payload: 'hello' });
    assert.equal(text.statusCode, 415);
    const big = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify({ displayName: 'x'.repeat(2_000_000) }) });
    assert.equal(big.statusCode, 413);
    assert.equal(body(big).code, 'PAYLOAD_TOO_LARGE');
  });

  test('an unknown API path is a 404 in the error format; other paths serve the web app', async () => {
    const r = await t.app.inject({ url: '/api/nope' });
    assert.equal(r.statusCode, 404);
    assert.equal(body(r).code, 'NOT_FOUND');
    const page = await t.app.inject({ url: '/my/applications' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
  });
});

describe('operations endpoints', () => {
  test('health, readiness, metrics and the OpenAPI document', async () => {
    assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
    const ready = await t.app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.equal(body(ready).database, t.database.kind);
    const metrics = await t.app.inject({ url: '/metrics' });
    assert.match(metrics.body, /http_request_duration_seconds/);
    const spec = body<{ openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; parameters?: unknown[] }>> }>(await t.app.inject({ url: '/openapi.json' }));
    assert.equal(spec.openapi, '3.1.0');
    assert.ok(spec.paths['/api/applications']?.post?.requestBody, 'request bodies come from the validating schemas');
    assert.ok(Object.keys(spec.paths).length >= 15);
  });
});
