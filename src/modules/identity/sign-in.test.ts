import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createUser } from '../../test/factories.ts';
import { verificationStats } from './password.ts';
import { signInStats } from './service.ts';

const MAX = 4;
const LOCK_MINUTES = 10;
let t: TestApp;
before(async () => { t = await createTestApp({ loginMaxAttempts: MAX, loginLockMinutes: LOCK_MINUTES }); });
after(() => t.close());

const login = (username: string, password: string, from = '198.51.100.7', lang = 'en') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: from, headers: { 'accept-language': lang }, payload: { username, password } });
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

test('a burst of 16 concurrent wrong guesses checks at most LOGIN_MAX_ATTEMPTS passwords', async () => {
  const u = await createUser(t.ctx.db, { username: 'burst', roles: ['officer'] });
  const before = signInStats.passwordChecks;
  const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => login('burst', `wrong-guess-${i}`, '203.0.113.10')));
  assert.deepEqual([...new Set(answers.map((r) => r.statusCode))], [401]);
  const checked = signInStats.passwordChecks - before;
  assert.ok(checked <= MAX, `${checked} passwords checked for 16 guesses, at most ${MAX} allowed`);
  const row = await t.ctx.db.selectFrom('login_attempts').selectAll().where('username', '=', 'burst').executeTakeFirstOrThrow();
  assert.equal(row.failures, MAX);
  // The right password from the locked address is refused without being checked.
  const right = await login('burst', u.password, '203.0.113.10');
  assert.equal(right.statusCode, 401);
  assert.equal(signInStats.passwordChecks - before, checked);
});

test('a locked pair refuses even the right password, until the lock passes; each further failure doubles it', async () => {
  const u = await createUser(t.ctx.db, { username: 'locked1', roles: ['citizen'] });
  try {
    for (let i = 0; i < MAX; i++) assert.equal((await login('locked1', 'bad-password')).statusCode, 401);
    assert.equal((await login('locked1', u.password)).statusCode, 401, 'right password refused while locked');
    t.setNow(minutes(LOCK_MINUTES + 1));
    assert.equal((await login('locked1', 'bad-password')).statusCode, 401); // failure MAX + 1: locked for twice as long
    t.setNow(minutes(LOCK_MINUTES + 1 + LOCK_MINUTES + 1));
    assert.equal((await login('locked1', u.password)).statusCode, 401, 'still locked: the second lock is twice as long');
    t.setNow(minutes(LOCK_MINUTES + 1 + 2 * LOCK_MINUTES + 1));
    assert.equal((await login('locked1', u.password)).statusCode, 200);
    const left = await t.ctx.db.selectFrom('login_attempts').selectAll().where('username', '=', 'locked1').execute();
    assert.deepEqual(left, [], 'a good password clears the pair');
  } finally {
    t.setNow(new Date());
  }
});

test('a stranger failing from another address cannot lock the owner out', async () => {
  const owner = await createUser(t.ctx.db, { username: 'owner1', roles: ['admin'] });
  for (let i = 0; i < 3 * MAX; i++) assert.equal((await login('owner1', `guess-${i}`, '192.0.2.66')).statusCode, 401);
  assert.equal((await login('owner1', owner.password, '192.0.2.66')).statusCode, 401, 'the stranger is locked');
  assert.equal((await login('owner1', owner.password, '198.51.100.20')).statusCode, 200, 'the owner is not');
  // The administrator sees the lock, and a new password lifts it.
  const admin = await createUser(t.ctx.db, { username: 'lockadmin', roles: ['admin'] });
  const h = await t.login(admin.username, admin.password);
  const list = body<{ items: { username: string; id: string; lockedUntil: string | null }[] }>(await t.app.inject({ url: '/api/admin/users?q=owner1', headers: h }));
  const row = list.items.find((x) => x.username === 'owner1')!;
  assert.ok(row.lockedUntil && new Date(row.lockedUntil) > new Date());
  const reset = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${row.id}`, headers: h, payload: { password: 'a-brand-new-password' } });
  assert.equal(reset.statusCode, 200, reset.body);
  assert.equal(body(reset).lockedUntil, null);
  assert.equal((await login('owner1', 'a-brand-new-password', '192.0.2.66')).statusCode, 200);
});

test('unknown name, wrong password and locked account get the same answer, after similar work', async () => {
  await createUser(t.ctx.db, { username: 'samename', roles: ['officer'] });
  await createUser(t.ctx.db, { username: 'lockedname', roles: ['officer'] });
  for (let i = 0; i < MAX; i++) await login('lockedname', 'bad-password', '192.0.2.77');
  for (let i = 0; i < MAX; i++) await login('nosuchname', 'bad-password', '192.0.2.77');
  const kinds = ['samename', 'nobody-at-all', 'lockedname', 'nosuchname'];
  let reference: unknown;
  for (const k of kinds) {
    const work = verificationStats.count;
    const r = await login(k, 'bad-password', '192.0.2.77', 'az');
    // The same work for each: one argon2 verification (a dummy hash where there is no real one to check).
    assert.equal(verificationStats.count - work, 1, `${k}: one argon2 verification`);
    const answer = { status: r.statusCode, body: body(r), retryAfter: r.headers['retry-after'] };
    reference ??= answer;
    assert.deepEqual(answer, reference, `${k} answers like the others`);
  }
  assert.equal((reference as { status: number }).status, 401);
  assert.equal((reference as { body: { code: string } }).body.code, 'INVALID_CREDENTIALS');
  // Attempts are kept for a name that does not exist just as for one that does.
  const rows = await t.ctx.db.selectFrom('login_attempts').select(['username', 'failures']).where('source', '=', '192.0.2.77')
    .where('username', 'in', ['lockedname', 'nosuchname']).orderBy('username').execute();
  assert.deepEqual(rows, [{ username: 'lockedname', failures: MAX }, { username: 'nosuchname', failures: MAX }]);
});

test('every sign-in route draws on one rate-limit budget per address', async () => {
  const limited = await createTestApp({ loginRateLimitPerMinute: 4 });
  try {
    const from = '203.0.113.44';
    const creds = { username: 'x', password: 'y' };
    const codes = [
      (await limited.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: from, payload: creds })).statusCode,
      (await limited.app.inject({ method: 'POST', url: '/api/auth/token', remoteAddress: from, payload: creds })).statusCode,
      (await limited.app.inject({ url: '/api/auth/oidc/login', remoteAddress: from })).statusCode,
      (await limited.app.inject({ url: '/api/auth/oidc/callback?state=x&code=y', remoteAddress: from })).statusCode,
    ];
    assert.ok(codes.every((c) => c !== 429), `within budget: ${codes.join(',')}`);
    for (const r of [
      await limited.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: from, payload: creds }),
      await limited.app.inject({ method: 'POST', url: '/api/auth/token', remoteAddress: from, payload: creds }),
      await limited.app.inject({ url: '/api/auth/oidc/login', remoteAddress: from }),
      await limited.app.inject({ url: '/api/auth/oidc/callback?state=x&code=y', remoteAddress: from }),
    ]) {
      assert.equal(r.statusCode, 429, `${r.raw.req.url}: over the shared budget`);
      assert.equal(body(r).code, 'RATE_LIMITED');
      assert.ok(r.headers['retry-after']);
    }
    // Another address has its own budget.
    assert.equal((await limited.app.inject({ method: 'POST', url: '/api/auth/token', remoteAddress: '203.0.113.45', payload: creds })).statusCode, 401);
  } finally {
    await limited.close();
  }
});
