import { randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Registry, Histogram, collectDefaultMetrics } from 'prom-client';
import type { Actor, AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { DATABASE_RETRY_AFTER_S, pingDatabase } from '../db.ts';
import { errorHandler, assertMultipartBoundary, frameworkErrorHandler, notFoundBody, requestLocale } from './errors.ts';
import { createValidatorCompiler } from './validation.ts';
import type { RouteAuth } from './route-auth.ts';
import { resolveSession } from '../../modules/identity/service.ts';

/** The Fastify instance with TypeBox types, as every module's routes receive it. */
export type App = FastifyInstance<
  import('node:http').Server, import('node:http').IncomingMessage, import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger, TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared authorization, for the route-walking tests and docs. */
    routeTable: RouteInfo[];
  }
  interface FastifyRequest {
    /** The signed-in user, or null. */
    actor: Actor | null;
    sessionKind: 'cookie' | 'bearer' | null;
  }
}

/** A registered route and who may call it. */
export interface RouteInfo {
  method: string;
  url: string;
  auth: RouteAuth;
  hasBody: boolean;
  schema: { body?: unknown; querystring?: unknown; params?: unknown; headers?: unknown; response?: Record<string, unknown> };
  /** The route's own rate limit (config.rateLimit), if any. */
  rateLimit?: unknown;
}

/**
 * The web app's Content-Security-Policy: everything from our own origin, no framing. Styles allow
 * 'unsafe-inline' because Mantine sets its CSS variables in a <style> element and positions
 * popovers with style attributes at run time; scripts do not (the built app has no inline script).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/**
 * Whether an /api/ response may be kept by browsers and proxies: only public reads that carry
 * nobody's data (catalog, reference data, wait times, board, slots, the kiosk menu). Everything
 * signed in, sign-in itself (tokens) and look-ups by a personal code or token are `no-store`.
 */
function mayBeCached(req: FastifyRequest): boolean {
  const url = req.routeOptions.url ?? '';
  return req.routeOptions.config.auth === 'public' && req.method === 'GET' && !url.startsWith('/api/auth/') && !/:(confirmation|token)\b/.test(url);
}

/** Name of the web session cookie. */
export const SESSION_COOKIE = 'dost_session';

/** A module's HTTP surface: registers its routes on the app. */
export type RouteModule = (app: App, ctx: AppContext) => void | Promise<void>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Returns the signed-in actor or throws UNAUTHENTICATED. */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED');
  return req.actor;
}

/**
 * Builds the HTTP server: security (sessions, CSRF, route authorization, login rate limits),
 * the error mapping, OpenAPI, health and metrics, the modules' routes and the web app.
 * Nothing listens until the caller calls `listen`.
 */
export async function buildServer(ctx: AppContext, modules: RouteModule[]): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.logger,
    genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' && /^[\w-]{1,64}$/.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID()),
    bodyLimit: 1024 * 1024,
    trustProxy: ctx.config.trustProxy,
    return503OnClosing: true,
    // Malformed percent-encoding and over-long path parameters: the error shape, not Fastify's body.
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  // Bodies are validated as sent (no coercion); query strings, params and headers from text.
  app.setValidatorCompiler(createValidatorCompiler());

  // Every API route must say who may call it; one that does not stops the server from starting.
  // Non-API routes (static files of the web app, the API reference) are public by nature.
  const routeTable: RouteInfo[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    let auth = (route.config as { auth?: RouteAuth } | undefined)?.auth;
    if (auth === undefined) {
      if (route.url.startsWith('/api/')) throw new Error(`route ${route.method} ${route.url} declares no config.auth`);
      auth = 'public';
      route.config = { ...(route.config ?? {}), auth } as typeof route.config;
    }
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const s = (route.schema ?? {}) as RouteInfo['schema'];
      routeTable.push({ method, url: route.url, auth, hasBody: Boolean(s.body), schema: s, rateLimit: (route.config as { rateLimit?: unknown } | undefined)?.rateLimit });
    }
  });

  // JSON only (and multipart for uploads): anything else is 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 200 * 1024 * 1024, files: 1, fields: 5 } });
  // A multipart body without its boundary cannot be read: 400 before any handler tries.
  app.addHook('preValidation', async (req) => assertMultipartBoundary(req));
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctxRl) => Object.assign(new Error('rate limited'), { statusCode: 429, retryAfter: ctxRl.after }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'dost API', version: '0.1.0', description: 'One-window social services. Conventions: docs/api.md.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  // The API reference page: off in production unless DOST_API_DOCS=true (/openapi.json stays).
  if (ctx.config.apiDocs) await app.register(swaggerUi, { routePrefix: '/docs' });

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'], buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [metrics],
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('sessionKind', null);

  // Who may call the route is checked before the body is parsed or validated: a caller without
  // the right gets 401/403, never a hint about the shape of the input.
  const authorize = (req: FastifyRequest) => {
    const auth = req.routeOptions.config.auth;
    if (auth === 'public' || auth === undefined) return;
    const actor = requireActor(req);
    if (auth === 'authenticated') return;
    if (!actor.roles.some((r) => auth.includes(r))) throw new AppError('FORBIDDEN');
  };

  app.addHook('onRequest', async (req) => {
    const authz = req.headers.authorization;
    let token: string | undefined;
    let via: 'cookie' | 'bearer' | undefined;
    if (typeof authz === 'string' && authz.startsWith('Bearer ')) {
      token = authz.slice(7).trim();
      via = 'bearer';
    } else if (req.cookies[SESSION_COOKIE]) {
      token = req.cookies[SESSION_COOKIE];
      via = 'cookie';
    }
    if (!token) return authorize(req);
    const s = await resolveSession(ctx, token);
    if (!s) {
      if (via === 'bearer') throw new AppError('UNAUTHENTICATED');
      return authorize(req); // a stale cookie is treated as signed out
    }
    if (via === 'bearer' && s.kind !== 'bearer') throw new AppError('UNAUTHENTICATED');
    if (via === 'cookie' && s.kind !== 'cookie') return authorize(req);
    // Messages follow the language of the screen (Accept-Language), falling back to the profile's.
    const locale = req.headers['accept-language'] ? requestLocale(req) : s.actor.locale;
    req.actor = { ...s.actor, locale, requestId: req.id, ip: req.ip };
    req.sessionKind = s.kind;
    if (via === 'cookie' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, s.csrfToken)) throw new AppError('CSRF_FAILED');
    }
    authorize(req);
  });


  app.addHook('onResponse', async (req, reply) => {
    httpDuration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: reply.statusCode }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler(errorHandler);

  app.get('/healthz', { config: { auth: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { auth: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await pingDatabase(ctx.db);
      return { status: 'ready', database: ctx.database.kind };
    } catch {
      // Not ready while the database cannot answer within READY_TIMEOUT_MS (pingDatabase bounds it).
      return reply.status(503).header('retry-after', DATABASE_RETRY_AFTER_S).send({ status: 'unavailable' });
    }
  });
  app.get('/metrics', { config: { auth: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    void reply.header('content-type', metrics.contentType);
    return metrics.metrics();
  });
  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  for (const register of modules) await app.register(async (scope) => register(scope as App, ctx));

  const indexFile = path.join(ctx.config.webDistDir, 'index.html');
  const assetsDir = path.join(ctx.config.webDistDir, 'assets') + path.sep;
  const hasWeb = existsSync(indexFile);
  if (hasWeb) {
    // Built assets carry a content hash in their name: cached for a year and never revalidated.
    // Other files (icons, robots.txt) for an hour. The build writes .br and .gz copies beside each
    // file; the smallest one the browser accepts is sent (web/precompress.ts).
    await app.register(fastifyStatic, {
      root: ctx.config.webDistDir, wildcard: false, index: false, serve: true, preCompressed: true, cacheControl: false,
      setHeaders: (res, file) => {
        void res.header('cache-control', file.startsWith(assetsDir) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
      },
    });
  }
  const indexHtml = hasWeb ? readFileSync(indexFile, 'utf8') : undefined;
  // The page itself is revalidated on every visit (it names the current assets), sent compressed
  // when the browser accepts it.
  const indexEncoded = indexHtml === undefined ? undefined : { br: brotliCompressSync(indexHtml), gzip: gzipSync(indexHtml) };
  const sendIndex = (reply: FastifyReply) => {
    if (!indexHtml || !indexEncoded) return sendIndexPlain(reply);
    const accepts = String(reply.request.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : undefined;
    void reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('vary', 'accept-encoding');
    return encoding ? reply.header('content-encoding', encoding).send(indexEncoded[encoding]) : reply.send(indexHtml);
  };
  const sendIndexPlain = (reply: FastifyReply) =>
    indexHtml
      ? reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml)
      : reply.type('text/html; charset=utf-8').send('<!doctype html><title>dost</title><p>The web app is not built: run <code>npm run build:web</code>.</p>');
  app.get('/', { config: { auth: 'public' }, schema: { hide: true } }, async (_req, reply) => sendIndex(reply));

  app.setNotFoundHandler(async (req, reply) => {
    if (req.method === 'GET' && !req.url.startsWith('/api/') && !path.extname(req.url.split('?')[0] ?? '')) return sendIndex(reply);
    return reply.status(404).send(notFoundBody(req));
  });

  const httpsPublic = ctx.config.publicUrl.startsWith('https://');
  app.addHook('onSend', async (req, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'same-origin');
    void reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('content-security-policy')) void reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    // HSTS only over TLS: the public URL is https, or the request came over TLS (req.protocol
    // believes X-Forwarded-Proto only from the trusted proxy, TRUST_PROXY).
    if (httpsPublic || req.protocol === 'https') void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (req.url.startsWith('/api/') && !mayBeCached(req)) void reply.header('cache-control', 'no-store');
    return payload;
  });

  return app;
}
