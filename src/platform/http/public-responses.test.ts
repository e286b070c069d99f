import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createUser } from '../../test/factories.ts';
import { loadConfig } from '../config.ts';

// Issue 8: public routes return only what a stranger may know. Every field of every public
// route's success response is listed here; a new one (a citizenId, a user id, an internal id, a
// name) fails this test until it is reviewed and added on purpose.

/** Field paths of public responses, per route ("[]" an array's items, "{}" a map's values). */
const ALLOWED: Record<string, string[]> = {
  'GET /api/queue/wait-times': ['[].centerCode', '[].estimatedWaitMinutes', '[].kind', '[].longestWaitMinutes', '[].name.az', '[].name.en', '[].name.ru', '[].waiting', '[].windowsOpen'],
  'GET /api/queue/centers/:centerCode/services': ['[].counterMinutes', '[].estimatedWaitMinutes', '[].letter', '[].name.az', '[].name.en', '[].name.ru', '[].openWindows', '[].serviceCode', '[].waiting'],
  'POST /api/queue/centers/:centerCode/kiosk/tickets': ISSUED(),
  'POST /api/queue/centers/:centerCode/kiosk/check-in': ISSUED(),
  'GET /api/queue/centers/:centerCode/board': [
    'called[].calledAt', 'called[].number', 'called[].status', 'called[].windowNo', 'centerCode', 'lastEventId', 'name.az', 'name.en', 'name.ru',
    'serviceDate', 'waitingByLetter{}', 'windows[].isOpen', 'windows[].ticketNumber', 'windows[].windowNo',
  ],
  'GET /api/queue/surveys/:token': ['answered', 'centerCode', 'questions[].id', 'questions[].kind', 'questions[].text.az', 'questions[].text.en', 'questions[].text.ru', 'serviceCode', 'status', 'ticketNumber'],
  'POST /api/queue/surveys/:token': ['rating', 'ticketNumber'],
  'GET /api/queue/slots': ['centers[].centerCode', 'centers[].name.az', 'centers[].name.en', 'centers[].name.ru', 'centers[].sameRegion', 'centers[].servesDistrict', 'centers[].slots[].free', 'centers[].slots[].minutes', 'centers[].slots[].startsAt', 'date', 'serviceCode'],
  'GET /api/queue/appointments/:confirmation': APPOINTMENT(),
  'POST /api/queue/appointments/:confirmation/cancel': APPOINTMENT(),
  'POST /api/queue/appointments/:confirmation/move': APPOINTMENT(),
};
function ISSUED() {
  return ['estimatedWaitMinutes', 'surveyToken', 'ticket.centerCode', 'ticket.dueAt', 'ticket.issuedAt', 'ticket.number', 'ticket.priority', 'ticket.serviceCode', 'ticket.serviceDate', 'ticket.status', 'waitingAhead'];
}
function APPOINTMENT() {
  return ['centerCode', 'confirmation', 'createdAt', 'serviceCode', 'startsAt', 'status'];
}
/** Routes whose answers are the product's own public data (catalog, reference data) or sign-in, reviewed elsewhere. */
const NOT_PERSONAL = /^(GET|POST) \/api\/(catalog|reference|auth)\//;
/** Names that are never public, whatever the route. */
/** Fields that look like ids but are the same for everyone: a survey question's id, needed to answer it. */
const NOT_AN_ID = new Set(['questions[].id']);
const NEVER = /(^|\.)(id|citizenId|userId|\w+UserId|appointmentId|ticketId|fin|firstName|lastName|patronymic|birthDate|phone|displayName|username)(\[\]|\{\})?$/;

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; allOf?: Schema[]; oneOf?: Schema[]; patternProperties?: Record<string, Schema>; additionalProperties?: boolean | Schema };

/** Every leaf field path a schema allows. */
function schemaFields(s: Schema | undefined, prefix = ''): string[] {
  if (!s) return [];
  const out: string[] = [];
  for (const sub of [...(s.anyOf ?? []), ...(s.allOf ?? []), ...(s.oneOf ?? [])]) out.push(...schemaFields(sub, prefix));
  if (s.properties) for (const [k, v] of Object.entries(s.properties)) out.push(...schemaFields(v, prefix ? `${prefix}.${k}` : k));
  if (s.items) out.push(...schemaFields(s.items, `${prefix}[]`));
  const map = s.patternProperties ? Object.values(s.patternProperties)[0] : typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  if (map) out.push(...schemaFields(map, `${prefix}{}`));
  const composite = s.properties || s.items || s.anyOf || s.allOf || s.oneOf || map;
  if (!composite && prefix) out.push(prefix);
  if (s.anyOf && !s.properties && prefix && s.anyOf.every((x) => !x.properties && !x.items)) return [...new Set([prefix])];
  return [...new Set(out)];
}

/** Every leaf field path of a JSON value. */
function valueFields(v: unknown, prefix = '', inMap = false): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => valueFields(x, `${prefix}[]`));
  if (v !== null && typeof v === 'object') {
    if (inMap) return Object.values(v).flatMap((x) => valueFields(x, `${prefix}{}`));
    return Object.entries(v).flatMap(([k, x]) => valueFields(x, prefix ? `${prefix}.${k}` : k, k === 'waitingByLetter'));
  }
  return [prefix];
}

let t: TestApp;
const CENTER = 'BAKU-1';

before(async () => {
  t = await createTestApp();
  t.setNow('2026-11-24T06:00:00Z');
});
after(() => t.close());

const publicRoutes = () => t.app.routeTable.filter((r) => r.url.startsWith('/api/') && r.auth === 'public' && !NOT_PERSONAL.test(`${r.method} ${r.url}`));
const successSchemas = (r: (ReturnType<typeof publicRoutes>)[number]) =>
  Object.entries(r.schema.response ?? {}).filter(([status]) => /^2/.test(status)).map(([, s]) => s as Schema);

describe('public responses', () => {
  test('every field of every public route\'s response schema is on the allow-list, and none is an id or a name', () => {
    const routes = publicRoutes().filter((r) => !r.url.endsWith('/events')); // SSE: its events carry ticket numbers and windows (events.test)
    assert.deepEqual(routes.map((r) => `${r.method} ${r.url}`).sort(), Object.keys(ALLOWED).sort(), 'a public route was added or removed: list its fields here');
    for (const r of routes) {
      const key = `${r.method} ${r.url}`;
      const fields = successSchemas(r).flatMap((s) => schemaFields(s)).sort();
      assert.ok(fields.length > 0, `${key} declares its response`);
      assert.deepEqual([...new Set(fields)], [...ALLOWED[key]!].sort(), key);
      for (const f of fields) if (!NOT_AN_ID.has(f)) assert.doesNotMatch(f, NEVER, `${key}: ${f} is not public`);
    }
  });

  test('what the public routes actually return is within the allow-list: no citizenId, whether or not the FIN is known', async () => {
    const c = await createCitizen(t.ctx.db);
    const u = await createUser(t.ctx.db, { roles: ['citizen'], citizenId: c.citizen_id });
    const headers = await t.login(u.username, u.password);
    const menu = body<{ serviceCode: string }[]>(await t.app.inject({ url: `/api/queue/centers/${CENTER}/services` }));
    const svc = menu[0]!.serviceCode;
    const known = await t.app.inject({ method: 'POST', url: `/api/queue/centers/${CENTER}/kiosk/tickets`, payload: { serviceCode: svc, fin: c.fin } });
    const unknown = await t.app.inject({ method: 'POST', url: `/api/queue/centers/${CENTER}/kiosk/tickets`, payload: { serviceCode: svc, fin: '5ZZZZZ0' } });
    const none = await t.app.inject({ method: 'POST', url: `/api/queue/centers/${CENTER}/kiosk/tickets`, payload: { serviceCode: svc } });
    for (const r of [known, unknown, none]) assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual(valueFields(body(known)).sort(), valueFields(body(unknown)).sort(), 'the same shape whether or not the FIN exists');
    assert.deepEqual(valueFields(body(known)).sort(), valueFields(body(none)).sort());
    assert.doesNotMatch(known.body, /"citizenId"/);
    const linked = await t.ctx.db.selectFrom('queue_tickets').select('citizen_id').where('survey_token', '=', body<{ surveyToken: string }>(known).surveyToken).executeTakeFirstOrThrow();
    assert.equal(Number(linked.citizen_id), c.citizen_id, 'the operator still sees who it is');

    const day = '2026-11-25';
    const slots = body<{ centers: { centerCode: string; slots: { startsAt: string }[] }[] }>(await t.app.inject({ url: `/api/queue/slots?service=${svc}&date=${day}&center=${CENTER}` }));
    const startsAt = slots.centers[0]!.slots[0]!.startsAt;
    const booked = await t.app.inject({ method: 'POST', url: '/api/queue/appointments', headers: { ...headers, 'idempotency-key': crypto.randomUUID() }, payload: { centerCode: CENTER, serviceCode: svc, startsAt } });
    assert.equal(booked.statusCode, 201, booked.body);
    const code = body<{ confirmation: string }>(booked).confirmation;
    const lookups = [
      ['GET /api/queue/appointments/:confirmation', await t.app.inject({ url: `/api/queue/appointments/${code}` })],
      ['POST /api/queue/appointments/:confirmation/move', await t.app.inject({ method: 'POST', url: `/api/queue/appointments/${code}/move`, payload: { startsAt: slots.centers[0]!.slots[1]!.startsAt } })],
      ['POST /api/queue/appointments/:confirmation/cancel', await t.app.inject({ method: 'POST', url: `/api/queue/appointments/${code}/cancel` })],
      ['POST /api/queue/centers/:centerCode/kiosk/tickets', known],
      ['GET /api/queue/centers/:centerCode/services', await t.app.inject({ url: `/api/queue/centers/${CENTER}/services` })],
      ['GET /api/queue/centers/:centerCode/board', await t.app.inject({ url: `/api/queue/centers/${CENTER}/board` })],
      ['GET /api/queue/wait-times', await t.app.inject({ url: '/api/queue/wait-times' })],
      ['GET /api/queue/surveys/:token', await t.app.inject({ url: `/api/queue/surveys/${body<{ surveyToken: string }>(known).surveyToken}` })],
    ] as const;
    for (const [key, r] of lookups) {
      assert.equal(r.statusCode, 200 + (key.includes('kiosk') ? 1 : 0), `${key}: ${r.body}`);
      const allowed = new Set(ALLOWED[key]!.map((f) => f.replace(/\{\}$/, '{}')));
      for (const f of valueFields(body(r))) {
        assert.ok(allowed.has(f), `${key} returned ${f}`);
        if (!NOT_AN_ID.has(f)) assert.doesNotMatch(f, NEVER, `${key} returned ${f}`);
      }
      assert.doesNotMatch(r.body, /"citizenId"|"userId"|"operatorUserId"|"appointmentId"/, key);
    }
    // A person's appointment is not kept by browsers or proxies.
    assert.equal(lookups[0][1].headers['cache-control'], 'no-store');
  });

  test('public writes and look-ups by code or token are rate-limited per address', () => {
    const probing = publicRoutes().filter((r) => r.method !== 'GET' || /:(confirmation|token)\b/.test(r.url));
    assert.ok(probing.length >= 7);
    for (const r of probing) assert.ok(r.rateLimit, `${r.method} ${r.url} has no rate limit`);
  });
});

describe('hardening headers', () => {
  test('CSP with frame-ancestors on the web app and the API; no HSTS over plain HTTP', async () => {
    const r = await t.app.inject({ url: '/' });
    const csp = String(r.headers['content-security-policy']);
    for (const d of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "img-src 'self' data:", "connect-src 'self'"]) assert.ok(csp.includes(d), d);
    assert.doesNotMatch(csp.match(/script-src[^;]*/)![0], /unsafe/);
    assert.ok((await t.app.inject({ url: '/api/catalog/services' })).headers['content-security-policy']);
    assert.equal(r.headers['strict-transport-security'], undefined);
  });

  test('no-store on every signed-in API answer and on sign-in; public catalog reads may be cached', async () => {
    const u = await createUser(t.ctx.db, { roles: ['officer'] });
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    assert.equal(login.headers['cache-control'], 'no-store');
    const cookie = login.cookies.find((c) => c.name === 'dost_session')!;
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: `dost_session=${cookie.value}` } });
    assert.equal(me.headers['cache-control'], 'no-store');
    const denied = await t.app.inject({ url: '/api/applications' });
    assert.equal(denied.statusCode, 401);
    assert.equal(denied.headers['cache-control'], 'no-store');
    assert.notEqual((await t.app.inject({ url: '/api/catalog/services' })).headers['cache-control'], 'no-store');
  });

  test('HSTS when the public URL is https or a trusted proxy says the request came over TLS', async () => {
    const tls = await createTestApp({ publicUrl: 'https://dost.example.az' });
    const proxied = await createTestApp({ trustProxy: '127.0.0.1' });
    try {
      assert.match(String((await tls.app.inject({ url: '/healthz' })).headers['strict-transport-security']), /max-age=\d{7,}/);
      assert.ok((await proxied.app.inject({ url: '/healthz', headers: { 'x-forwarded-proto': 'https' } })).headers['strict-transport-security']);
      assert.equal((await proxied.app.inject({ url: '/healthz' })).headers['strict-transport-security'], undefined);
      // A client that is not the trusted proxy cannot switch it on (or off) with the header.
      assert.equal((await proxied.app.inject({ url: '/healthz', remoteAddress: '10.9.9.9', headers: { 'x-forwarded-proto': 'https' } })).headers['strict-transport-security'], undefined);
    } finally {
      await tls.close();
      await proxied.close();
    }
  });

  test('the API reference page is off in production unless DOST_API_DOCS=true; /openapi.json stays', async () => {
    assert.equal(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://dost.example.az' }).apiDocs, false);
    assert.equal(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://dost.example.az', DOST_API_DOCS: 'true' }).apiDocs, true);
    assert.equal(loadConfig({ NODE_ENV: 'development' }).apiDocs, true);
    assert.throws(() => loadConfig({ NODE_ENV: 'development', DOST_API_DOCS: 'yes' }), /DOST_API_DOCS/);
    const prod = await createTestApp({ apiDocs: false });
    try {
      // /docs is then just a path of the web app (its page for an unknown address), not Swagger UI.
      assert.doesNotMatch((await prod.app.inject({ url: '/docs' })).body, /swagger/i);
      assert.equal((await prod.app.inject({ url: '/docs/static/index.html' })).statusCode, 404);
      assert.doesNotMatch((await prod.app.inject({ url: '/docs/json' })).body, /"openapi"/);
      assert.equal((await prod.app.inject({ url: '/openapi.json' })).statusCode, 200);
    } finally {
      await prod.close();
    }
    assert.match((await t.app.inject({ url: '/docs/json' })).body, /"openapi"/, 'on in development and test');
  });

  test('the web build publishes no source maps', async () => {
    const { default: config } = await import('../../../web/vite.config.ts');
    const build = (config as { build?: { sourcemap?: unknown } }).build;
    assert.ok(build?.sourcemap === false || build?.sourcemap === 'hidden', 'build.sourcemap must be false');
  });
});
