import * as oidc from 'openid-client';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { isFin } from '../registry/index.ts';
import { openSession, type IssuedSession } from './service.ts';
import * as repo from './repository.ts';

const LOGIN_TTL_MS = 10 * 60_000;
const discovered = new WeakMap<object, Promise<oidc.Configuration>>();

const isLoopback = (u: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);

/** The provider's configuration, discovered once per process. Plain HTTP is allowed only on loopback (tests, local providers). */
function providerConfig(ctx: AppContext): Promise<oidc.Configuration> {
  const o = ctx.config.oidc;
  if (!o) throw new AppError('NOT_FOUND', { what: 'national identity sign-in is not configured' });
  let p = discovered.get(ctx.config);
  if (!p) {
    const issuer = new URL(o.issuer);
    p = oidc.discovery(issuer, o.clientId, o.clientSecret, undefined, isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined);
    p.catch(() => discovered.delete(ctx.config));
    discovered.set(ctx.config, p);
  }
  return p;
}

/** Whether sign-in through the national identity provider is offered. */
export const oidcEnabled = (ctx: AppContext): boolean => ctx.config.oidc !== undefined;

/**
 * Starts a sign-in at the identity provider (authorization code with PKCE): stores the state,
 * verifier and nonce for one use and returns the provider's URL to redirect the browser to.
 */
export async function startOidcLogin(ctx: AppContext, returnTo = '/'): Promise<string> {
  const config = await providerConfig(ctx);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  await ctx.db.insertInto('oidc_login_states').values({
    state, code_verifier: verifier, nonce, return_to: returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/',
    expires_at: new Date(ctx.now().getTime() + LOGIN_TTL_MS),
  }).execute();
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: ctx.config.oidc!.redirectUri, scope: 'openid profile', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }).href;
}

/**
 * Finishes a sign-in: checks state, exchanges the code (PKCE), verifies the ID token and its
 * nonce, and signs in the user linked to the token's subject. On a first sign-in the subject is
 * linked to the registry person whose FIN the token carries, as a citizen user.
 */
export async function finishOidcLogin(ctx: AppContext, query: Record<string, string>, meta: { ip?: string; userAgent?: string }): Promise<IssuedSession & { returnTo: string }> {
  const o = ctx.config.oidc;
  if (!o) throw new AppError('NOT_FOUND', { what: 'national identity sign-in is not configured' });
  const config = await providerConfig(ctx);
  const stateRow = query.state
    ? await ctx.db.deleteFrom('oidc_login_states').where('state', '=', query.state).where('expires_at', '>', ctx.now()).returningAll().executeTakeFirst()
    : undefined;
  if (!stateRow) throw new AppError('UNAUTHENTICATED');
  const callback = new URL(o.redirectUri);
  for (const [k, v] of Object.entries(query)) callback.searchParams.set(k, v);
  let claims: oidc.IDToken | undefined;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: stateRow.code_verifier, expectedState: stateRow.state, expectedNonce: stateRow.nonce, idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (e) {
    ctx.logger.warn({ err: (e as Error).message }, 'OIDC code exchange failed');
    throw new AppError('UNAUTHENTICATED');
  }
  if (!claims) throw new AppError('UNAUTHENTICATED');
  const subject = `${claims.iss}|${claims.sub}`;
  let user = await ctx.db.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
  if (!user) {
    const fin = String(claims[o.finClaim] ?? '').toUpperCase();
    if (!isFin(fin)) throw new AppError('FORBIDDEN');
    const citizen = await ctx.db.selectFrom('citizens').select(['citizen_id', 'last_name', 'first_name']).where('fin', '=', fin).executeTakeFirst();
    if (!citizen) throw new AppError('FORBIDDEN');
    const existing = await ctx.db.selectFrom('users').selectAll().where('citizen_id', '=', citizen.citizen_id)
      .where((eb) => eb(eb.val('citizen'), '=', eb.fn.any('roles'))).executeTakeFirst();
    user = existing
      ? await repo.updateUser(ctx.db, existing.user_id, { oidc_subject: subject })
      : await repo.insertUser(ctx.db, {
          username: `c.${fin.toLowerCase()}`, display_name: `${citizen.last_name} ${citizen.first_name}`, password_hash: null,
          roles: ['citizen'], citizen_id: citizen.citizen_id, oidc_subject: subject,
        });
  }
  if (!user || user.disabled) throw new AppError('FORBIDDEN');
  const session = await openSession(ctx, user, 'cookie', meta);
  return { ...session, returnTo: stateRow.return_to };
}
