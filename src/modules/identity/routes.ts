import { Type } from 'typebox';
import type { App } from '../../platform/http/server.ts';
import { requireActor, SESSION_COOKIE } from '../../platform/http/server.ts';
import type { AppContext } from '../../platform/context.ts';
import { ErrorBody, Line, Page, Uuid } from '../../platform/http/schemas.ts';
import * as service from './service.ts';
import { finishOidcLogin, oidcEnabled, startOidcLogin } from './oidc.ts';
import { AppError } from '../../platform/errors.ts';
import { AdminUserOut, CreateUserBody, ListUsersQuery, LoginBody, SessionOut, TokenOut, UpdateUserBody } from './schema.ts';

/** Sign-in, sessions, bearer tokens, and the administrator's user management. */
export function identityRoutes(app: App, ctx: AppContext): void {
  // One budget per address across every sign-in route (password, token, national identity):
  // one limiter, so one store, hooked onto each route. A per-route `config.rateLimit` would give
  // each route a store of its own, and an attacker LOGIN_RATE_LIMIT_PER_MINUTE guesses per route.
  const signInLimit = app.rateLimit({ max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' });
  const cookieOptions = {
    httpOnly: true, secure: true, sameSite: 'lax' as const, path: '/', maxAge: ctx.config.sessionTtlHours * 3600,
  };

  app.post('/api/auth/login', {
    config: { auth: 'public' }, onRequest: signInLimit,
    schema: { tags: ['auth'], summary: 'Sign in to the web app (sets the session cookie)', body: LoginBody, response: { 200: SessionOut, '4xx': ErrorBody } },
  }, async (req, reply) => {
    const user = await service.authenticate(ctx, req.body.username, req.body.password, req.ip);
    const s = await service.openSession(ctx, user, 'cookie', { ip: req.ip, userAgent: req.headers['user-agent']?.slice(0, 300) });
    void reply.setCookie(SESSION_COOKIE, s.token, cookieOptions);
    return { user: s.user, csrfToken: s.csrfToken };
  });

  app.post('/api/auth/token', {
    config: { auth: 'public' }, onRequest: signInLimit,
    schema: { tags: ['auth'], summary: 'Get a bearer token for API clients', body: LoginBody, response: { 200: TokenOut, '4xx': ErrorBody } },
  }, async (req) => {
    const user = await service.authenticate(ctx, req.body.username, req.body.password, req.ip);
    const s = await service.openSession(ctx, user, 'bearer', { ip: req.ip, userAgent: req.headers['user-agent']?.slice(0, 300) });
    return { token: s.token, expiresAt: s.expiresAt.toISOString() };
  });

  app.post('/api/auth/logout', {
    config: { auth: 'authenticated' },
    schema: { tags: ['auth'], summary: 'End the current session', response: { 204: Type.Null(), '4xx': ErrorBody } },
  }, async (req, reply) => {
    const token = req.sessionKind === 'bearer' ? req.headers.authorization!.slice(7).trim() : req.cookies[SESSION_COOKIE]!;
    await service.closeSession(ctx, token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', {
    config: { auth: 'authenticated' },
    schema: { tags: ['auth'], summary: 'The signed-in user and the CSRF token for changes', response: { 200: SessionOut, '4xx': ErrorBody } },
  }, async (req) => {
    const actor = requireActor(req);
    const token = req.sessionKind === 'cookie' ? req.cookies[SESSION_COOKIE] : undefined;
    const resolved = token ? await service.resolveSession(ctx, token) : undefined;
    return { user: await service.getMe(ctx, actor), csrfToken: resolved?.csrfToken ?? '' };
  });

  app.get('/api/auth/oidc', {
    config: { auth: 'public' },
    schema: { tags: ['auth'], summary: 'Whether sign-in through the national identity provider is offered', response: { 200: Type.Object({ enabled: Type.Boolean(), loginUrl: Type.Union([Type.String(), Type.Null()]) }) } },
  }, async () => ({ enabled: oidcEnabled(ctx), loginUrl: oidcEnabled(ctx) ? '/api/auth/oidc/login' : null }));

  app.get('/api/auth/oidc/login', {
    config: { auth: 'public' }, onRequest: signInLimit,
    schema: {
      tags: ['auth'], summary: 'Start sign-in at the national identity provider (redirects)',
      querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 200, pattern: '^/[!-~]*$' })) }, { additionalProperties: false }),
      response: { '4xx': ErrorBody },
    },
  }, async (req, reply) => reply.redirect(await startOidcLogin(ctx, req.query.returnTo)));

  app.get('/api/auth/oidc/callback', {
    config: { auth: 'public' }, onRequest: signInLimit,
    schema: {
      tags: ['auth'], summary: 'Return from the national identity provider: signs in and redirects to the web app',
      querystring: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,40}$' }), Line({ maxLength: 4000 }), { maxProperties: 10, additionalProperties: false }),
    },
  }, async (req, reply) => {
    try {
      const s = await finishOidcLogin(ctx, req.query, { ip: req.ip, userAgent: req.headers['user-agent']?.slice(0, 300) });
      void reply.setCookie(SESSION_COOKIE, s.token, cookieOptions);
      return reply.redirect(s.returnTo);
    } catch (e) {
      if (e instanceof AppError && e.status < 500) return reply.redirect(`/login?error=${e.code}`);
      throw e;
    }
  });

  app.get('/api/admin/users', {
    config: { auth: ['admin'] },
    schema: { tags: ['admin'], summary: 'List users', querystring: ListUsersQuery, response: { 200: Page(AdminUserOut), '4xx': ErrorBody } },
  }, async (req) => service.listUsers(ctx, req.query));

  app.post('/api/admin/users', {
    config: { auth: ['admin'] },
    schema: { tags: ['admin'], summary: 'Create a user', body: CreateUserBody, response: { 201: AdminUserOut, '4xx': ErrorBody } },
  }, async (req, reply) => reply.status(201).send(await service.createUser(ctx, req.body, requireActor(req))));

  app.patch('/api/admin/users/:userId', {
    config: { auth: ['admin'] },
    schema: {
      tags: ['admin'], summary: 'Change a user (roles, password, disable)',
      params: Type.Object({ userId: Uuid() }), body: UpdateUserBody, response: { 200: AdminUserOut, '4xx': ErrorBody },
    },
  }, async (req) => service.updateUser(ctx, requireActor(req), req.params.userId, req.body));
}
