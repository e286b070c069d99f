import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen } from '../../test/factories.ts';

// A minimal OpenID provider on loopback: discovery, authorize (auto-approves the user given in
// `login_hint`), token (checks code, PKCE challenge and client secret), JWKS.
let provider: FastifyInstance;
let issuer = '';
const codes = new Map<string, { nonce: string; sub: string; fin: string; challenge: string }>();

async function startProvider() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  provider = Fastify();
  provider.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, b, done) => done(null, Object.fromEntries(new URLSearchParams(b as string))));
  provider.get('/.well-known/openid-configuration', async () => ({
    issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'], token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  }));
  provider.get('/jwks', async () => ({ keys: [jwk] }));
  provider.get('/authorize', async (req, reply) => {
    const q = req.query as Record<string, string>;
    const [sub, fin] = (q.login_hint ?? 'sub-1:0000000').split(':');
    const code = randomUUID();
    codes.set(code, { nonce: q.nonce!, sub: sub!, fin: fin!, challenge: q.code_challenge! });
    return reply.redirect(`${q.redirect_uri}?code=${code}&state=${q.state}&iss=${encodeURIComponent(issuer)}`);
  });
  provider.post('/token', async (req, reply) => {
    const b = req.body as Record<string, string>;
    // openid-client sends client_secret_post by default; accept basic as well.
    const basic = req.headers.authorization ? Buffer.from(String(req.headers.authorization).slice(6), 'base64').toString() : `${b.client_id}:${b.client_secret}`;
    if (basic !== 'dost-client:s3cret') return reply.status(401).send({ error: 'invalid_client' });
    const c = codes.get(b.code!);
    codes.delete(b.code!);
    const { createHash } = await import('node:crypto');
    if (!c || createHash('sha256').update(b.code_verifier!).digest('base64url') !== c.challenge) return reply.status(400).send({ error: 'invalid_grant' });
    const idToken = await new SignJWT({ nonce: c.nonce, fin: c.fin, name: 'Test' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setSubject(c.sub).setAudience('dost-client')
      .setIssuedAt().setExpirationTime('5m').sign(privateKey);
    return { access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken };
  });
  issuer = (await provider.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
}

let t: TestApp;
before(async () => {
  await startProvider();
  t = await createTestApp({ oidc: { issuer, clientId: 'dost-client', clientSecret: 's3cret', redirectUri: 'http://127.0.0.1:3000/api/auth/oidc/callback', finClaim: 'fin' } });
});
after(async () => {
  await t.close();
  await provider.close();
});

/** Runs the browser's part: our login → provider authorize → our callback. */
async function signIn(loginHint: string, tamper?: (u: URL) => void) {
  const start = await t.app.inject({ url: '/api/auth/oidc/login?returnTo=/my/applications' });
  assert.equal(start.statusCode, 302);
  const authorize = new URL(start.headers.location as string);
  assert.equal(authorize.origin, issuer);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  authorize.searchParams.set('login_hint', loginHint);
  const back = await fetch(authorize, { redirect: 'manual' });
  const callback = new URL(back.headers.get('location')!);
  tamper?.(callback);
  return t.app.inject({ url: `${callback.pathname}${callback.search}` });
}

test('the web app can tell that national sign-in is offered', async () => {
  assert.deepEqual(body(await t.app.inject({ url: '/api/auth/oidc' })), { enabled: true, loginUrl: '/api/auth/oidc/login' });
});

test('a first sign-in links the provider subject to the registry person with that FIN, as a citizen', async () => {
  const c = await createCitizen(t.ctx.db, { first_name: 'Nərmin', last_name: 'Qasımova', sex: 'F' });
  const res = await signIn(`sub-nermin:${c.fin}`);
  assert.equal(res.statusCode, 302, res.body);
  assert.equal(res.headers.location, '/my/applications');
  const cookie = res.cookies.find((x) => x.name === 'dost_session')!;
  const me = body<{ user: { roles: string[]; citizenId: number; displayName: string } }>(await t.app.inject({ url: '/api/auth/me', headers: { cookie: `dost_session=${cookie.value}` } }));
  assert.deepEqual(me.user.roles, ['citizen']);
  assert.equal(me.user.citizenId, c.citizen_id);
  assert.equal(me.user.displayName, 'Qasımova Nərmin');
  // A second sign-in finds the same user by subject.
  const again = await signIn(`sub-nermin:${c.fin}`);
  assert.equal(again.statusCode, 302);
  const users = await t.ctx.db.selectFrom('users').select('user_id').where('citizen_id', '=', c.citizen_id).execute();
  assert.equal(users.length, 1);
});

test('someone the registry does not know, a replayed state and a forged code are refused', async () => {
  const unknown = await signIn('sub-x:5ZZZZZ9');
  assert.equal(unknown.headers.location, '/login?error=FORBIDDEN');
  const c = await createCitizen(t.ctx.db);
  let used = '';
  const first = await signIn(`sub-y:${c.fin}`, (u) => { used = u.search; });
  assert.equal(first.statusCode, 302);
  const replay = await t.app.inject({ url: `/api/auth/oidc/callback${used}` });
  assert.equal(replay.headers.location, '/login?error=UNAUTHENTICATED');
  const forged = await signIn(`sub-z:${c.fin}`, (u) => u.searchParams.set('code', randomUUID()));
  assert.equal(forged.headers.location, '/login?error=UNAUTHENTICATED');
});

test('without configuration the option is off', async () => {
  const plain = await createTestApp();
  try {
    assert.deepEqual(body(await plain.app.inject({ url: '/api/auth/oidc' })), { enabled: false, loginUrl: null });
    assert.equal((await plain.app.inject({ url: '/api/auth/oidc/login' })).statusCode, 404);
  } finally {
    await plain.close();
  }
});
