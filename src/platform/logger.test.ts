import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../test/app.ts';
import { createCitizen, createUser, uniqueFin } from '../test/factories.ts';
import { createLogger, maskFins, maskUrl } from './logger.ts';

const sink = () => {
  const lines: string[] = [];
  return { lines, stream: new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } }) };
};

/** Every form a value could take in a log line: raw, lower and upper case, percent-encoded. */
const forms = (v: string) => [...new Set([v, v.toLowerCase(), v.toUpperCase(), encodeURIComponent(v), encodeURIComponent(v).toLowerCase()])];
function assertNoneIn(out: string, values: string[]) {
  for (const v of values) for (const f of forms(v)) assert.ok(!out.includes(f), `${JSON.stringify(f)} (from ${JSON.stringify(v)}) is in the log:\n${out.split('\n').find((l) => l.includes(f))}`);
}

test('FIN-shaped tokens in text are masked in any case, ordinary words are not', () => {
  assert.equal(maskFins('/api/citizens?fin=5ZX8K2M'), '/api/citizens?fin=5******');
  assert.equal(maskFins('/api/citizens?fin=5zx8k2m'), '/api/citizens?fin=5******');
  assert.equal(maskFins('GET /api/catalog/services'), 'GET /api/catalog/services');
  assert.equal(maskFins('REQUEST'), 'REQUEST');
  assert.equal(maskUrl('/api/x?page=2&q=%C6%8Fliyev&fin=%35ZX8K2M'), '/api/x?page=2&q=*&fin=*');
  assert.equal(maskUrl('/api/x/%35zx8k2m/%2B994501234567'), '/api/x/5******/[phone]');
});

test('personal fields are redacted in structured logs, at any of the first levels', () => {
  const { lines, stream } = sink();
  const logger = createLogger('info', stream);
  logger.info({ fin: '5ZX8K2M', citizen: { lastName: 'Əliyev', phone: '+994501234567' }, firstName: 'Elvin', ok: 'visible' }, 'x');
  logger.info({ req: { method: 'GET', url: '/api/citizens?fin=5ZX8K2M', id: '1' } }, 'request');
  logger.info({ body: { whatever: 'Əliyev' }, nested: { query: { q: 'Elvin' } } }, 'bodies');
  logger.warn('lookup of 5zx8k2m for +994 50 123 45 67 failed');
  let parseError: unknown;
  try { JSON.parse('{"lastName":"Əliyev","firstName":Elvin}'); } catch (e) { parseError = e; }
  logger.error({ err: parseError }, 'bad body');
  logger.error(parseError as Error);
  const out = lines.join('');
  assertNoneIn(out, ['5ZX8K2M', 'Əliyev', 'Elvin', '501234567', '50 123 45 67']);
  assert.match(out, /visible/);
});

let t: TestApp;
const log = sink();
before(async () => { t = await createTestApp({}, { log: log.stream }); });
after(() => t.close());

test('requests carrying FINs, names and phones, in any encoding, in the URL or the body of a failing request, leave none of them in the log', async () => {
  const fin = uniqueFin();
  const citizen = await createCitizen(t.ctx.db, { fin, last_name: 'Qənbərova', first_name: 'Səbinə', patronymic: 'Vüqar qızı', phone: '+994557654321' });
  const officer = await createUser(t.ctx.db, { roles: ['officer'], displayName: 'Nigar Həsənli', password: 'officer-secret-pass' });
  const h = await t.login(officer.username, officer.password);
  const personal = [fin, citizen.last_name, citizen.first_name, 'Vüqar', '994557654321', '557654321', officer.password, 'Həsənli'];
  const enc = encodeURIComponent;
  const urls = [
    `/api/citizens?fin=${fin}`, `/api/citizens?fin=${fin.toLowerCase()}`, `/api/citizens?fin=${[...fin].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`,
    `/api/citizens?fin=${enc(enc(fin))}`, `/api/citizens?q=${enc(citizen.last_name)}&page=1`, `/api/citizens?name=${citizen.first_name}`,
    `/api/citizens?phone=${enc(citizen.phone!)}`, `/api/citizens?phone=+994557654321`, `/api/citizens?q=${enc(`${citizen.last_name} ${citizen.first_name}`)}`,
    `/api/citizens/${fin}`, `/api/citizens/${enc(citizen.last_name)}`, `/api/nothing/${fin.toLowerCase()}?who=${enc(citizen.first_name)}`,
    `/api/citizens?fin=${fin}&bad=%E0%A4%A`, `/api/citizens?${enc(citizen.first_name)}=${fin}`,
  ];
  for (const url of urls) {
    await t.app.inject({ url, headers: h });
    await t.app.inject({ url }); // signed out: refused before the route runs, still logged
  }
  // Bodies of failing requests: malformed JSON, wrong types, a refused sign-in.
  await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: `{"username":"${fin}","password":"${officer.password}"` });
  await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: fin, password: officer.password } });
  await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: officer.username, password: citizen.last_name, extra: citizen.phone } });
  await t.app.inject({ method: 'POST', url: '/api/applications', headers: h, payload: { fin, lastName: citizen.last_name, phone: citizen.phone } });
  // Database errors carry the statement's parameters and the offending values: a duplicate FIN
  // (detail: "Key (fin)=(…) already exists"), a name where a number belongs (quoted in the message).
  for (const fail of [
    () => t.ctx.db.insertInto('citizens').values({ ...citizen, citizen_id: undefined } as never).execute(),
    () => t.ctx.db.selectFrom('citizens').select('citizen_id').where('citizen_id', '=', citizen.first_name as never).execute(),
  ]) {
    const err = await fail().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof Error, 'the statement fails');
    t.app.log.error({ err }, 'unhandled error');
    t.app.log.error(err as Error);
    t.ctx.logger.warn({ err: (err as Error).message, cause: err }, `failed for ${fin}`);
  }
  const out = log.lines.join('');
  assert.ok(log.lines.length > urls.length * 2, 'the requests were logged');
  assert.match(out, /"url":"\/api\/citizens\?fin=\*"/);
  assert.match(out, /23505/, 'the error code is kept');
  assert.doesNotMatch(out, /S_bin_/, 'a name sent as a parameter name is masked too');
  assertNoneIn(out, personal);
});
