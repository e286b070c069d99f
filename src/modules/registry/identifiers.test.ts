import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createUser } from '../../test/factories.ts';
import { FIN_INPUT_PATTERN, parseFin } from './identifiers.ts';

test('parseFin accepts any letter case and returns the FIN upper-case; anything else is not a FIN', () => {
  assert.equal(parseFin('7kq2m9a'), '7KQ2M9A');
  assert.equal(parseFin(' 7Kq2M9a '), '7KQ2M9A');
  assert.equal(parseFin('7KQ2M9A'), '7KQ2M9A');
  for (const bad of ['7kq2m9', '7kq2m9ab', '7kq2m9o', '7KQ2M9I', '7kq-m9a', '']) assert.equal(parseFin(bad), undefined, bad);
  const re = new RegExp(FIN_INPUT_PATTERN);
  assert.ok(re.test('7kq2m9a') && re.test('7KQ2M9A') && !re.test('7kq2m9i'));
});

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(() => t.close());

test('the API finds a citizen by a FIN typed in lower case', async () => {
  const c = await createCitizen(t.ctx.db);
  const op = await createUser(t.ctx.db, { roles: ['operator'], centerCode: 'BAKU-1' });
  const h = await t.login(op.username, op.password);
  const res = await t.app.inject({ url: `/api/citizens?fin=${c.fin.toLowerCase()}`, headers: h });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(body<{ items: { id: number }[] }>(res).items.map((i) => i.id), [c.citizen_id]);
  // The administrator's audit search by the same FIN in lower case finds that look-up.
  const admin = await createUser(t.ctx.db, { roles: ['admin'] });
  const a = await t.app.inject({ url: `/api/admin/audit?fin=${c.fin.toLowerCase()}`, headers: await t.login(admin.username, admin.password) });
  assert.equal(a.statusCode, 200, a.body);
  assert.ok(body<{ items: { action: string; citizenId: number | null }[] }>(a).items.some((r) => r.action === 'citizen.search' && r.citizenId === c.citizen_id));
});
