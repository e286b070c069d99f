import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createUser } from '../../test/factories.ts';

let t: TestApp;
before(async () => { t = await createTestApp({ loginMaxAttempts: 3, loginLockMinutes: 10 }); });
after(() => t.close());

const login = (username: string, password: string, lang = 'az') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': lang }, payload: { username, password } });

test('sign-in sets a secure HttpOnly SameSite cookie and returns a CSRF token; passwords are argon2id', async () => {
  const u = await createUser(t.ctx.db, { username: 'leyla', roles: ['officer'] });
  assert.match(u.password_hash!, /^\$argon2id\$/);
  const r = await login('leyla', u.password);
  assert.equal(r.statusCode, 200);
  const c = r.cookies.find((x) => x.name === 'dost_session')!;
  assert.equal(c.httpOnly, true);
  assert.equal(c.secure, true);
  assert.equal(c.sameSite, 'Lax');
  assert.ok(body<{ csrfToken: string }>(r).csrfToken.length > 20);
  const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: `dost_session=${c.value}` } });
  assert.equal(me.statusCode, 200);
  assert.equal(body<{ user: { username: string } }>(me).user.username, 'leyla');
  const stored = await t.ctx.db.selectFrom('sessions').select('token_hash').execute();
  assert.ok(stored.every((s) => s.token_hash !== c.value), 'only a hash of the token is stored');
});

test('wrong password and unknown user get the same error, in the caller\'s language', async () => {
  await createUser(t.ctx.db, { username: 'samir', roles: ['officer'] });
  const a = await login('samir', 'wrong-password-1', 'en');
  const b = await login('nobody-here', 'wrong-password-1', 'en');
  assert.equal(a.statusCode, 401);
  assert.deepEqual(body(a), body(b));
  assert.equal(body(a).message, 'Wrong username or password (after several failed attempts, wait a few minutes)');
  assert.equal(body(await login('samir', 'x', 'az')).message, 'İstifadəçi adı və ya şifrə yanlışdır (bir neçə uğursuz cəhddən sonra bir az gözləyin)');
});

test('after too many failures sign-in is refused, even for the right password, with the same answer', async () => {
  const u = await createUser(t.ctx.db, { username: 'kamran', roles: ['citizen'] });
  for (let i = 0; i < 3; i++) assert.equal((await login('kamran', 'bad-password')).statusCode, 401);
  const locked = await login('kamran', u.password);
  assert.equal(locked.statusCode, 401);
  assert.equal(body(locked).code, 'INVALID_CREDENTIALS');
  t.setNow(new Date(Date.now() + 11 * 60_000));
  assert.equal((await login('kamran', u.password)).statusCode, 200);
  t.setNow(new Date());
});

test('a change made with the session cookie needs the CSRF token', async () => {
  const admin = await createUser(t.ctx.db, { username: 'root1', roles: ['admin'] });
  const h = await t.login(admin.username, admin.password);
  const payload = { username: 'newuser1', displayName: 'New', password: 'long-enough-pass', roles: ['officer'] };
  const noCsrf = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie: h.cookie! }, payload });
  assert.equal(noCsrf.statusCode, 403);
  assert.equal(body(noCsrf).code, 'CSRF_FAILED');
  const wrong = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie: h.cookie!, 'x-csrf-token': 'nope' }, payload });
  assert.equal(wrong.statusCode, 403);
  const ok = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: h, payload });
  assert.equal(ok.statusCode, 201, ok.body);
});

test('bearer tokens work for API clients without CSRF, and logout ends them', async () => {
  const u = await createUser(t.ctx.db, { username: 'apiclient', roles: ['admin'] });
  const tok = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { username: u.username, password: u.password } });
  assert.equal(tok.statusCode, 200);
  const auth = { authorization: `Bearer ${body<{ token: string }>(tok).token}` };
  const list = await t.app.inject({ url: '/api/admin/users?role=admin', headers: auth });
  assert.equal(list.statusCode, 200);
  assert.ok(body<{ items: { roles: string[] }[] }>(list).items.every((x) => x.roles.includes('admin')));
  const create = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: auth, payload: { username: 'viatoken', displayName: 'V', password: 'long-enough-pass', roles: ['analyst'] } });
  assert.equal(create.statusCode, 201);
  assert.equal((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: auth })).statusCode, 204);
  assert.equal((await t.app.inject({ url: '/api/admin/users', headers: auth })).statusCode, 401);
  assert.equal((await t.app.inject({ url: '/api/admin/users', headers: { authorization: 'Bearer garbage' } })).statusCode, 401);
});

test('admin manages users: duplicate names, roles, disabling ends sessions, cannot lock themself out', async () => {
  const admin = await createUser(t.ctx.db, { username: 'root2', roles: ['admin'] });
  const h = await t.login(admin.username, admin.password);
  const dup = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: h, payload: { username: 'root2', displayName: 'X', password: 'long-enough-pass', roles: ['officer'] } });
  assert.equal(dup.statusCode, 409);
  const weak = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: h, payload: { username: 'weakpw', displayName: 'X', password: 'short', roles: ['officer'] } });
  assert.equal(weak.statusCode, 400);
  assert.equal(body<{ details: { field: string }[] }>(weak).details[0]!.field, '/password');
  const badRole = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: h, payload: { username: 'badrole', displayName: 'X', password: 'long-enough-pass', roles: ['king'] } });
  assert.equal(badRole.statusCode, 400);

  const victim = await createUser(t.ctx.db, { username: 'victim', roles: ['officer'] });
  const vh = await t.login(victim.username, victim.password);
  assert.equal((await t.app.inject({ url: '/api/auth/me', headers: vh })).statusCode, 200);
  const dis = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${victim.user_id}`, headers: h, payload: { disabled: true } });
  assert.equal(dis.statusCode, 200);
  assert.equal((await t.app.inject({ url: '/api/auth/me', headers: vh })).statusCode, 401);
  assert.equal((await login('victim', victim.password)).statusCode, 401);

  const self = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${admin.user_id}`, headers: h, payload: { disabled: true } });
  assert.equal(self.statusCode, 409);
  const none = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/00000000-0000-4000-8000-000000000000`, headers: h, payload: { displayName: 'x' } });
  assert.equal(none.statusCode, 404);
});

test('sign-in is rate-limited per address', async () => {
  const limited = await createTestApp({ loginRateLimitPerMinute: 3 });
  try {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'y' } })).statusCode);
    assert.deepEqual(codes, [401, 401, 401, 429, 429]);
    // A client cannot step around the limit by claiming another address.
    const spoofed = await limited.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': '203.0.113.9' }, payload: { username: 'x', password: 'y' } });
    assert.equal(spoofed.statusCode, 429);
  } finally {
    await limited.close();
  }
});

test('clearing a user\'s center with null works (null is not coerced to an empty string)', async () => {
  const admin = await createUser(t.ctx.db, { username: 'root3', roles: ['admin'] });
  const h = await t.login(admin.username, admin.password);
  const op = await createUser(t.ctx.db, { username: 'op-clear', roles: ['operator'], centerCode: 'BAKU-1' });
  const r = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${op.user_id}`, headers: h, payload: { centerCode: null } });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(body(r).centerCode, null);
  const bad = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${op.user_id}`, headers: h, payload: { centerCode: 'NO-SUCH' } });
  assert.equal(bad.statusCode, 400);
});
