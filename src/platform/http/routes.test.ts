import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { ROLES, type Role } from '../context.ts';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createUser } from '../../test/factories.ts';
import type { RouteInfo } from './server.ts';
import Fastify from 'fastify';
import type { FieldOut } from '../../modules/catalog/index.ts';
import { sampleAnswers } from '../../modules/cases/index.ts';
import { sql } from 'kysely';
import { databaseRefusalCount, errorHandler } from './errors.ts';
import { LINE_PATTERN, MAX_SAFE, TEXT_PATTERN } from './schemas.ts';

let t: TestApp;
const tokens = new Map<Role, string>();
let citizenId = 0;

const SAMPLE_PARAMS: Record<string, () => string> = {
  citizenId: () => String(citizenId),
  centerCode: () => 'BAKU-1',
  date: () => '2026-11-24',
  confirmation: () => 'ABCDEFGH',
  token: () => 'abcdefghijklmnopqrstuvwx',
  code: () => '01-01-01-01',
  reference: () => 'DOST-2026-0000001',
  userId: () => '00000000-0000-4000-8000-000000000000',
};
// The events route streams while its center exists: walked with a center that does not.
const fillParams = (url: string) => url.replace(/:(\w+)/g, (_, k: string) => (k === 'centerCode' && url.endsWith('/events') ? 'NO-SUCH' : (SAMPLE_PARAMS[k] ?? (() => '1'))()));
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

// ---- the generated bad-input test -------------------------------------------------------------
//
// Values are derived from each route's own request schemas (body, query string, path parameters):
// a valid request is generated from the schema, then one field (or parameter) gets a value of one
// of the classes that used to reach PostgreSQL or Fastify's own error bodies: NUL and control
// characters, numbers past the safe integers sent as raw JSON (1e21, 9223372036854776000, 1e400),
// impossible dates and times and a leap second, empty strings, null and values of the wrong type,
// malformed percent-encoding and over-long path parameters, multipart without a boundary.

type Json = Record<string, unknown> & { type?: string | string[]; properties?: Record<string, Json>; required?: string[]; items?: Json; anyOf?: Json[]; enum?: unknown[]; const?: unknown; pattern?: string; format?: string; minimum?: number; maximum?: number; minLength?: number; maxLength?: number; patternProperties?: Record<string, Json>; minItems?: number };
const RAW = '\u0001raw:'; // marks a value to be written into the JSON text as is
const raw = (text: string) => `${RAW}${text}`;
const jsonText = (v: unknown) => JSON.stringify(v).replace(new RegExp(`"${RAW.replace('\u0001', '\\\\u0001')}([^"]*)"`, 'g'), '$1');

const BAD_STRINGS = ['x\u0000y', '\u0000', 'a\u0007b', '', ' ', 'a'.repeat(5000), '2026-02-30', '2026-13-45', '0000-01-01', '2026-11-24T23:59:60Z', '2026-02-30T10:00:00Z', '2026-11-24T10:00:00', '1e21', 'Infinity', "' or 1=1 --"];
const BAD_NUMBERS = [raw('1e21'), raw('9223372036854776000'), raw('1e400'), raw('-1e400'), raw('-9223372036854776000'), 1.5, -1, 0];
const WRONG_TYPES: unknown[] = [null, true, false, [], {}, [1], '1', 'true'];
const BAD_VALUES = [...BAD_STRINGS, ...BAD_NUMBERS, ...WRONG_TYPES];
const BAD_TEXT_PARAMS = ['%00', 'a%00b', '%E0%A4%A', '%zz', '%', 'x'.repeat(300), '1e21', '9223372036854776000', 'Infinity', '-1', '0', '2026-02-30', '2026-13-45', '0000-01-01', 'null', 'true', '%20'];

const isType = (s: Json, t: string) => s.type === t || (Array.isArray(s.type) && s.type.includes(t));

/** A value the schema accepts (best effort: the service may still refuse it, which is fine). */
function valid(s: Json): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.anyOf) return fc.oneof(...s.anyOf.map(valid));
  if (isType(s, 'string')) {
    if (s.format === 'date') return fc.date({ min: new Date('1950-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    if (s.format === 'uuid') return fc.uuid();
    if (s.format === 'email') return fc.constant('a@example.org');
    const min = s.minLength ?? 0;
    const max = s.maxLength ?? 200;
    const base = s.pattern ? fc.stringMatching(new RegExp(s.pattern, 'u')) : fc.string({ maxLength: Math.min(max, 50) });
    return base.filter((x) => x.length >= min && x.length <= max);
  }
  if (isType(s, 'integer')) return fc.integer({ min: Math.max(s.minimum ?? -1000, -1e9), max: Math.min(s.maximum ?? 1000, 1e9) });
  if (isType(s, 'number')) return fc.double({ min: Math.max(s.minimum ?? -1000, -1e9), max: Math.min(s.maximum ?? 1000, 1e9), noNaN: true }).map((x) => Math.round(x * 100) / 100);
  if (isType(s, 'boolean')) return fc.boolean();
  if (isType(s, 'null')) return fc.constant(null);
  if (isType(s, 'array')) return fc.array(valid(s.items ?? {}), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, 3) });
  if (isType(s, 'object') || s.properties) {
    const props = s.properties ?? {};
    const req = new Set(s.required ?? []);
    return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v)])), { requiredKeys: Object.keys(props).filter((k) => req.has(k)) });
  }
  return fc.jsonValue({ maxDepth: 2 });
}

/** JSON pointers of every property the schema declares (nested objects and first array items). */
function fieldPaths(s: Json, prefix: string[] = []): { path: string[]; schema: Json }[] {
  const out: { path: string[]; schema: Json }[] = [];
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    out.push({ path: [...prefix, k], schema: v });
    const inner = v.anyOf?.find((x) => x.properties) ?? v;
    if (inner.properties) out.push(...fieldPaths(inner, [...prefix, k]));
    if (isType(v, 'array') && v.items?.properties) out.push(...fieldPaths(v.items, [...prefix, k, '0']));
  }
  return out;
}

function setPath(target: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (/^\d+$/.test(head!)) {
    const arr = Array.isArray(target) && target.length > 0 ? [...target] : [{}];
    arr[0] = setPath(arr[0], rest, value);
    return arr;
  }
  const obj = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  return { ...obj, [head!]: setPath((obj as Record<string, unknown>)[head!], rest, value) };
}

const schemaOf = (r: RouteInfo, part: 'body' | 'querystring' | 'params') => r.schema[part] as Json | undefined;
const roleFor = (r: RouteInfo): Role => (r.auth === 'public' || r.auth === 'authenticated' ? 'admin' : r.auth[0]!);
const pointer = (path: string[]) => `/${path.join('/')}`;

let sentFrom = 0;
/** Sends a request with a JSON text body; asserts the answer is < 500 and, when an error, in the error shape. */
async function send(r: RouteInfo, url: string, payload: string | undefined, what: string, headers: Record<string, string> = {}) {
  const refusals = databaseRefusalCount();
  const res = await t.app.inject({
    method: r.method as 'GET', url,
    // Each from its own address, so the per-address rate limits of public routes stay out of the way.
    remoteAddress: `10.${(++sentFrom >> 16) & 255}.${(sentFrom >> 8) & 255}.${sentFrom & 255}`,
    headers: {
      authorization: `Bearer ${tokens.get(roleFor(r))}`,
      ...(r.method === 'POST' && { 'idempotency-key': crypto.randomUUID() }),
      ...(payload !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(payload !== undefined && { payload }),
  });
  assert.ok(res.statusCode < 500, `${r.method} ${r.url} ${what}: ${res.statusCode} ${res.body}`);
  assert.equal(databaseRefusalCount(), refusals, `${r.method} ${url} ${what} ${payload}: reached the database backstop (${res.statusCode} ${res.body})`);
  if (res.statusCode >= 400) {
    const e = body<{ code: string; message: string; details: { field: string }[] }>(res);
    assert.match(e.code, /^[A-Z_]+$/, `${r.method} ${r.url} ${what}: ${res.body}`);
    assert.ok(e.message.length > 0 && Array.isArray(e.details), `${r.method} ${r.url} ${what}: ${res.body}`);
    assert.ok(!res.body.includes('x'.repeat(300)) && !res.body.includes('\u0000'), `${r.method} ${r.url} ${what}: the error echoes the input`);
  }
  return res;
}

/** A query string; a value marked raw goes in as is (malformed percent-encoding like `%E0%A4%A`). */
const queryOf = (q: unknown) => {
  const entries = Object.entries((q ?? {}) as Record<string, unknown>).map(([k, v]) => {
    const text = String(v);
    return `${encodeURIComponent(k)}=${text.startsWith(RAW) ? text.slice(RAW.length) : encodeURIComponent(text)}`;
  });
  return entries.length ? `?${entries.join('&')}` : '';
};

/** Accepts the type the value has? (then a mutation to it is not a wrong type). */
function accepts(s: Json, v: unknown): boolean {
  if (s.anyOf) return s.anyOf.some((x) => accepts(x, v));
  if (s.enum) return s.enum.includes(v);
  if (s.const !== undefined) return s.const === v;
  if (v === null) return isType(s, 'null');
  if (typeof v === 'boolean') return isType(s, 'boolean');
  if (typeof v === 'string') return isType(s, 'string') || (!s.type && !s.anyOf);
  if (typeof v === 'number') return isType(s, 'number') || (isType(s, 'integer') && Number.isInteger(v));
  if (Array.isArray(v)) return isType(s, 'array');
  return isType(s, 'object') || !s.type;
}

describe('bad input never causes a 500 or a write', () => {
  const writes = async () => Number((await t.ctx.db.selectFrom('applications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  test('every string, number and date in a request schema is one of the shared bounded types', () => {
    // A string must be an enum/const, a checked format, or a pattern that cannot match a control
    // character (anchored, no `.`, no negated class or class escapes) — or the shared Text/Line.
    const unsafePattern = (p: string) => {
      if (p === TEXT_PATTERN || p === LINE_PATTERN) return false;
      if (!p.startsWith('^') || !p.endsWith('$')) return true;
      let inClass = false;
      for (let i = 0; i < p.length; i++) {
        const c = p[i]!;
        if (c === '\\') { if (/[sSWDpPxuc0bB]/.test(p[i + 1] ?? '')) return true; i++; continue; }
        if (inClass) { if (c === ']') inClass = false; continue; }
        if (c === '[') { if (p[i + 1] === '^') return true; inClass = true; continue; }
        if (c === '.') return true;
      }
      return false;
    };
    const problems: string[] = [];
    const walk = (s: Json | undefined, where: string) => {
      if (!s || typeof s !== 'object') return;
      if (isType(s, 'string') && s.enum === undefined && s.const === undefined) {
        const ok = (s.format && ['date', 'date-time', 'uuid', 'email'].includes(s.format)) || (s.pattern !== undefined && !unsafePattern(s.pattern));
        if (!ok) problems.push(`${where}: string without a safe pattern or format ${JSON.stringify(s)}`);
        if (s.maxLength === undefined && !s.format && !/\{\d+,?\d*\}\$$/.test(s.pattern ?? '') && s.pattern !== undefined && (s.pattern === TEXT_PATTERN || s.pattern === LINE_PATTERN)) problems.push(`${where}: text without maxLength`);
      }
      if (isType(s, 'integer') || isType(s, 'number')) {
        const lim = isType(s, 'integer') ? MAX_SAFE : 1e15;
        if (s.minimum === undefined || s.maximum === undefined || s.minimum < -lim || s.maximum > lim) problems.push(`${where}: unbounded number ${JSON.stringify(s)}`);
      }
      for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${where}/${k}`);
      for (const [k, v] of Object.entries(s.patternProperties ?? {})) {
        if (unsafePattern(k) && !(Object.keys(v).length === 0)) problems.push(`${where}: property names ${k} unchecked`);
        walk(v, `${where}/{${k}}`);
      }
      for (const v of s.anyOf ?? []) walk(v, where);
      if (s.items) walk(s.items, `${where}/0`);
    };
    for (const r of apiRoutes()) for (const part of ['body', 'querystring', 'params', 'headers'] as const) walk(r.schema[part] as Json, `${r.method} ${r.url} ${part}`);
    assert.deepEqual(problems, []);
    // The shared patterns refuse what they must.
    for (const p of [TEXT_PATTERN, LINE_PATTERN]) for (const bad of ['\u0000', 'a\u0000', '\u0007', '\u001b[2J', '\u007f']) assert.equal(new RegExp(p, 'u').test(bad), false);
    assert.equal(new RegExp(TEXT_PATTERN, 'u').test('line one\r\nline\ttwo'), true);
    assert.equal(new RegExp(LINE_PATTERN, 'u').test('a\nb'), false);
  });

  test('generated requests with one bad field, over every route: a clear 4xx, never a 500 or the database refusing', async () => {
    const before = await writes();
    const refusals = databaseRefusalCount();
    let sent = 0;
    for (const r of apiRoutes()) {
      const bodyS = schemaOf(r, 'body');
      const queryS = schemaOf(r, 'querystring');
      const paramsS = schemaOf(r, 'params');
      const bodyFields = bodyS ? fieldPaths(bodyS) : [];
      const queryFields = queryS ? fieldPaths(queryS) : [];
      const paramNames = Object.keys(paramsS?.properties ?? {});
      const targets = [...bodyFields.map((f) => ({ part: 'body' as const, ...f })), ...queryFields.map((f) => ({ part: 'query' as const, ...f })), ...paramNames.map((p) => ({ part: 'param' as const, path: [p], schema: {} as Json }))];
      if (targets.length === 0) continue;
      await fc.assert(fc.asyncProperty(
        bodyS ? valid(bodyS) : fc.constant(undefined),
        queryS ? valid(queryS) : fc.constant(undefined),
        fc.constantFrom(...targets),
        fc.constantFrom(...BAD_VALUES),
        fc.constantFrom(...BAD_TEXT_PARAMS),
        fc.boolean(),
        async (b, q, target, bad, badParam, rawQuery) => {
          let url = fillParams(r.url);
          let payload: unknown = r.hasBody && r.method !== 'GET' ? b ?? {} : undefined;
          let query = q;
          if (target.part === 'body') payload = setPath(payload, target.path, bad);
          else if (target.part === 'query') query = setPath(q ?? {}, target.path, rawQuery ? raw(badParam) : typeof bad === 'string' ? (bad.startsWith(RAW) ? bad.slice(RAW.length) : bad) : jsonText(bad));
          else url = fillParams(r.url.replace(`:${target.path[0]}`, badParam));
          sent++;
          await send(r, `${url}${queryOf(query)}`, payload === undefined ? undefined : jsonText(payload), `${target.part} ${pointer(target.path)}=${JSON.stringify(target.part === 'param' || rawQuery ? badParam : bad)}`);
        },
      ), { numRuns: Math.min(60, 12 * targets.length), seed: 20261203, includeErrorInReport: true });
    }
    assert.ok(sent > 1000, `${sent} requests`);
    assert.equal(databaseRefusalCount(), refusals, 'no generated request reached the database backstop: each class is refused by validation');
    assert.equal(await writes(), before, 'no generated request created an application');
  });

  test('a wrong type is refused, not coerced: every scalar body field given null, true, a string, an array or an object', async () => {
    const refusals = databaseRefusalCount();
    for (const r of apiRoutes()) {
      const s = schemaOf(r, 'body');
      if (!s || r.method === 'GET') continue;
      for (const f of fieldPaths(s)) {
        const scalar = ['string', 'integer', 'number', 'boolean'].some((x) => isType(f.schema, x)) || f.schema.anyOf || f.schema.enum;
        if (!scalar) continue;
        const base = fc.sample(valid(s), { numRuns: 1, seed: 7 })[0];
        for (const wrong of [null, true, 1, 'true', [], {}]) {
          if (accepts(f.schema, wrong)) continue;
          const res = await send(r, fillParams(r.url), jsonText(setPath(base, f.path, wrong)), `${pointer(f.path)}=${JSON.stringify(wrong)}`);
          assert.equal(res.statusCode, 400, `${r.method} ${r.url} ${pointer(f.path)}=${JSON.stringify(wrong)}: ${res.body}`);
          const e = body<{ code: string; details: { field: string }[] }>(res);
          assert.equal(e.code, 'VALIDATION_FAILED');
          assert.ok(e.details.some((d) => d.field === pointer(f.path) || d.field.startsWith(`${pointer(f.path)}/`) || pointer(f.path).startsWith(d.field)), `${r.method} ${r.url} ${pointer(f.path)}=${JSON.stringify(wrong)} names the field: ${res.body}`);
        }
      }
    }
    assert.equal(databaseRefusalCount(), refusals);
  });

  test('isOpen: null does not close a window, citizenId: true does not name citizen 1', async () => {
    const manager = tokens.get('center_manager')!;
    const isOpen = await t.app.inject({ method: 'PATCH', url: '/api/queue/centers/BAKU-1/windows/1', headers: { authorization: `Bearer ${tokens.get('admin')}`, 'content-type': 'application/json' }, payload: '{"isOpen": null}' });
    assert.equal(isOpen.statusCode, 400, isOpen.body);
    assert.deepEqual(body<{ details: { field: string; code: string }[] }>(isOpen).details.map((d) => d.field), ['/isOpen']);
    assert.ok(manager);
    const ticket = await t.app.inject({ method: 'POST', url: '/api/queue/centers/BAKU-1/tickets', headers: { authorization: `Bearer ${tokens.get('admin')}`, 'content-type': 'application/json' }, payload: '{"serviceCode": "99-01-01-00", "citizenId": true}' });
    assert.equal(ticket.statusCode, 400, ticket.body);
    assert.ok(body<{ details: { field: string }[] }>(ticket).details.some((d) => d.field === '/citizenId'));
    // An empty or null center on an application used to reach the foreign key (any citizen could trigger it).
    const form = body<{ form: { fields: FieldOut[] } }>(await t.app.inject({ url: '/api/catalog/services/99-01-01-00' })).form.fields;
    const data = JSON.stringify(sampleAnswers(form.filter((f) => !f.prefill)));
    for (const centerCode of ['""', 'null', '"NO-SUCH-CENTER"']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/applications', headers: { authorization: `Bearer ${tokens.get('citizen')}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, payload: `{"serviceCode": "99-01-01-00", "data": ${data}, "centerCode": ${centerCode}}` });
      assert.equal(res.statusCode, 400, `centerCode ${centerCode}: ${res.body}`);
      assert.ok(body<{ details: { field: string }[] }>(res).details.some((d) => d.field === '/centerCode'), `centerCode ${centerCode}: ${res.body}`);
    }
    const page = await t.app.inject({ url: '/api/catalog/services?page=1e21' });
    assert.equal(page.statusCode, 400);
    const inf = await t.app.inject({ url: '/api/catalog/services?pageSize=Infinity' });
    assert.equal(inf.statusCode, 400);
  });

  test('URLs Fastify cannot route, multipart without a boundary and broken bodies: the error shape, never echoing the URL', async () => {
    const admin = { authorization: `Bearer ${tokens.get('admin')}` };
    for (const url of ['/api/catalog/services/%E0%A4%A', '/api/citizens/%zz', `/api/queue/centers/${'A'.repeat(5000)}/board`, `/api/queue/surveys/${'x'.repeat(400)}`, '/api/catalog/services?q=%E0%A4%A&%zz=1', '/api/nope/%00']) {
      const res = await t.app.inject({ url, headers: admin });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${url}: ${res.statusCode} ${res.body}`);
      const e = body<{ code: string; message: string; details: unknown[] }>(res);
      assert.match(e.code, /^[A-Z_]+$/, `${url}: ${res.body}`);
      assert.ok(Array.isArray(e.details));
      assert.ok(!res.body.includes('AAAAAAAAAA') && !res.body.includes('xxxxxxxxxx'), `${url}: the answer echoes the URL: ${res.body}`);
    }
    for (const r of apiRoutes().filter((x) => x.method !== 'GET')) {
      for (const type of ['multipart/form-data', 'multipart/form-data; charset=utf-8', 'multipart/form-data; boundary=']) {
        await send(r, fillParams(r.url), '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc', type, { 'content-type': type });
      }
    }
    const imp = (payload: string, type: string) => t.app.inject({ method: 'POST', url: '/api/admin/import/citizens', headers: { ...admin, 'content-type': type }, payload });
    for (const [payload, type] of [['--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nfin', 'multipart/form-data'], ['--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nfin', 'multipart/form-data; boundary=x'], ['--x\r\nbroken header\r\n\r\n', 'multipart/form-data; boundary=x']] as const) {
      const res = await imp(payload, type);
      assert.equal(res.statusCode, 400, `${type}: ${res.body}`);
      assert.equal(body(res).code, 'VALIDATION_FAILED');
    }
  });

  test('the database backstop: a refusal by PostgreSQL is a 409 or 400 in the error shape that names no constraint, and is counted', async () => {
    const probe = Fastify({ logger: false });
    probe.setErrorHandler(errorHandler);
    probe.get('/fk', async () => sql`insert into queue_survey_questions (center_code, position, kind, text_az, text_ru, text_en) values ('NO-SUCH', 1, 'rating', 'a', 'b', 'c')`.execute(t.ctx.db));
    probe.get('/nul', async () => sql`select ${'a\u0000b'}::text`.execute(t.ctx.db));
    probe.get('/range', async () => sql`select ${'9223372036854775808'}::bigint`.execute(t.ctx.db));
    probe.get('/date', async () => sql`select ${'2026-02-30'}::date`.execute(t.ctx.db));
    await probe.ready();
    const before = databaseRefusalCount();
    const fk = await probe.inject({ url: '/fk', headers: { 'accept-language': 'en' } });
    assert.equal(fk.statusCode, 409);
    assert.equal(body(fk).code, 'CONFLICT');
    assert.doesNotMatch(fk.body, /fkey|queue_survey|constraint|violat/i);
    for (const url of ['/nul', '/range', '/date']) {
      const res = await probe.inject({ url });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal(body(res).code, 'VALIDATION_FAILED');
      assert.doesNotMatch(res.body, /bigint|syntax|out of range|date\/time/i);
    }
    assert.equal(databaseRefusalCount(), before + 4);
    await probe.close();
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
    const long = await t.app.inject({ url: `/api/${'y'.repeat(3000)}?fin=1234567` });
    assert.equal(long.statusCode, 404);
    assert.doesNotMatch(long.body, /yyyyyyyy|1234567/, 'the 404 does not echo the address');
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
