import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import path from 'node:path';

/** Configuration schema: parsed once at start-up from the environment and passed down. */
export const ConfigSchema = Type.Object({
  env: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')]),
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  /** PostgreSQL server URL; when absent the embedded PGlite database in dataDir is used. */
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  databasePoolSize: Type.Integer({ minimum: 1, maximum: 200 }),
  dataDir: Type.String({ minLength: 1 }),
  /** PGlite's shared_buffers: the embedded engine's page cache, and most of its memory. */
  pgliteSharedBuffers: Type.String({ pattern: '^\\d+(kB|MB|GB)$' }),
  logLevel: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  publicUrl: Type.String({ pattern: '^https?://' }),
  sessionTtlHours: Type.Integer({ minimum: 1, maximum: 24 * 30 }),
  loginMaxAttempts: Type.Integer({ minimum: 1, maximum: 100 }),
  loginLockMinutes: Type.Integer({ minimum: 1, maximum: 24 * 60 }),
  loginRateLimitPerMinute: Type.Integer({ minimum: 1, maximum: 10_000 }),
  webDistDir: Type.String(),
  /** Trust X-Forwarded-* from a reverse proxy: its address or CIDR list, or false. Off by default, or clients could spoof their address past the login rate limit. */
  trustProxy: Type.Union([Type.Literal(false), Type.String({ minLength: 1 })]),
  /** When the nightly benefits sweep runs each day, 'HH:MM' Baku time. */
  sweepAt: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' }),
  /** When overdue cases are escalated each day, 'HH:MM' Baku time. */
  escalationAt: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' }),
  /** Serve the API reference page (Swagger UI at /docs): on in development and test, off in production unless DOST_API_DOCS=true. */
  apiDocs: Type.Boolean(),
  oidc: Type.Optional(
    Type.Object({
      issuer: Type.String({ pattern: '^https?://' }),
      clientId: Type.String({ minLength: 1 }),
      clientSecret: Type.String({ minLength: 1 }),
      redirectUri: Type.String({ pattern: '^https?://' }),
      /** ID-token claim that carries the citizen's FIN. */
      finClaim: Type.String({ minLength: 1 }),
    }),
  ),
});
export type Config = Static<typeof ConfigSchema>;

/** A configuration value that failed validation, reported with the variable name at fault. */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

const ENV_NAMES: Record<string, string> = {
  env: 'NODE_ENV', host: 'HOST', port: 'PORT', databaseUrl: 'DATABASE_URL', databasePoolSize: 'DATABASE_POOL_SIZE',
  dataDir: 'DOST_DATA_DIR', pgliteSharedBuffers: 'DOST_PGLITE_SHARED_BUFFERS', logLevel: 'LOG_LEVEL', publicUrl: 'PUBLIC_URL', sessionTtlHours: 'SESSION_TTL_HOURS',
  loginMaxAttempts: 'LOGIN_MAX_ATTEMPTS', loginLockMinutes: 'LOGIN_LOCK_MINUTES',
  loginRateLimitPerMinute: 'LOGIN_RATE_LIMIT_PER_MINUTE', webDistDir: 'DOST_WEB_DIST', trustProxy: 'TRUST_PROXY', sweepAt: 'DOST_SWEEP_AT', escalationAt: 'DOST_ESCALATION_AT', apiDocs: 'DOST_API_DOCS', oidc: 'OIDC_*',
};

function int(v: string | undefined, dflt: number): number | string {
  if (v === undefined || v === '') return dflt;
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

/**
 * Reads the configuration from environment variables (with development defaults) and validates it.
 * In production, missing or invalid values stop the process before it serves anything.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const mode = (env.NODE_ENV ?? 'development') as Config['env'];
  const port = int(env.PORT, 3000);
  const oidcIssuer = env.OIDC_ISSUER;
  const raw: Record<string, unknown> = {
    env: mode,
    host: env.HOST ?? '127.0.0.1',
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: int(env.DATABASE_POOL_SIZE, 10), // ≈ 4 × the server's cores; see docs/benchmarks.md (Intake)
    dataDir: path.resolve(env.DOST_DATA_DIR ?? '.data'),
    pgliteSharedBuffers: env.DOST_PGLITE_SHARED_BUFFERS ?? '16MB',
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info'),
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${typeof port === 'number' ? port : 3000}`,
    sessionTtlHours: int(env.SESSION_TTL_HOURS, 12),
    loginMaxAttempts: int(env.LOGIN_MAX_ATTEMPTS, 5),
    loginLockMinutes: int(env.LOGIN_LOCK_MINUTES, 15),
    loginRateLimitPerMinute: int(env.LOGIN_RATE_LIMIT_PER_MINUTE, 20),
    webDistDir: path.resolve(env.DOST_WEB_DIST ?? 'web/dist'),
    trustProxy: env.TRUST_PROXY ? env.TRUST_PROXY : false,
    sweepAt: env.DOST_SWEEP_AT || '02:00',
    escalationAt: env.DOST_ESCALATION_AT || '06:00',
    apiDocs: env.DOST_API_DOCS === undefined || env.DOST_API_DOCS === '' ? mode !== 'production' : env.DOST_API_DOCS === 'true' ? true : env.DOST_API_DOCS === 'false' ? false : env.DOST_API_DOCS,
    oidc: oidcIssuer
      ? { issuer: oidcIssuer, clientId: env.OIDC_CLIENT_ID ?? '', clientSecret: env.OIDC_CLIENT_SECRET ?? '', redirectUri: env.OIDC_REDIRECT_URI ?? '', finClaim: env.OIDC_FIN_CLAIM ?? 'fin' }
      : undefined,
    ...overrides,
  };
  if (raw.databaseUrl === undefined) delete raw.databaseUrl;
  if (raw.oidc === undefined) delete raw.oidc;
  const problems = [...Value.Errors(ConfigSchema, raw)].map((e) => {
    const key = e.instancePath.split('/')[1] ?? '';
    return `${ENV_NAMES[key] ?? key}: ${e.message}`;
  });
  if (mode === 'production' && !env.PUBLIC_URL) problems.push('PUBLIC_URL: required in production');
  if (problems.length > 0) throw new ConfigError(problems);
  return raw as Config;
}
