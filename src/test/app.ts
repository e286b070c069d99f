import type { LightMyRequestResponse } from 'fastify';
import { pino, type DestinationStream } from 'pino';
import { loadConfig, type Config } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import type { App } from '../platform/http/server.ts';
import { createLogger } from '../platform/logger.ts';
import { createApp, createContext } from '../app.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

/** A running app over a throw-away database, called in-process (no port). */
export interface TestApp {
  app: App;
  ctx: AppContext;
  database: TestDatabase;
  /** Moves the clock the services see. */
  setNow(d: Date | string): void;
  /** Signs in through the real login endpoint; returns headers that carry the session and CSRF token. */
  login(username: string, password: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

let logFile: DestinationStream | undefined;
/**
 * The app's logger in tests: silent, unless a test passes a destination to read, or the test run
 * keeps every log (DOST_TEST_LOG_FILE, set by scripts/test.mjs), which the log-leak check then
 * searches for every personal value the factories created.
 */
function testLogger(level: string, destination?: DestinationStream) {
  if (destination) return createLogger('debug', destination);
  const file = process.env.DOST_TEST_LOG_FILE;
  if (!file) return createLogger(level);
  logFile ??= pino.destination({ dest: file, append: true, sync: true });
  return createLogger('debug', logFile);
}

/**
 * Builds the whole product over a fresh test database; `log` receives the app's log lines (at
 * debug level); `databaseUrl` names the PostgreSQL server to create it on (default DATABASE_URL).
 */
export async function createTestApp(overrides: Partial<Config> = {}, opts: { log?: DestinationStream; databaseUrl?: string; connectTimeoutMs?: number } = {}): Promise<TestApp> {
  const database = await createTestDatabase(opts.databaseUrl, opts.connectTimeoutMs);
  const config = loadConfig({ NODE_ENV: 'test' }, { loginRateLimitPerMinute: 1000, ...overrides });
  let now: Date | undefined;
  const ctx = await createContext(config, database, testLogger(config.logLevel, opts.log), () => now ?? new Date());
  const app = await createApp(ctx);
  await app.ready();
  return {
    app, ctx, database,
    setNow(d) { now = typeof d === 'string' ? new Date(d) : d; },
    async login(username, password) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login failed for ${username}: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'dost_session');
      return { cookie: `dost_session=${cookie!.value}`, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Parses a JSON response body. */
export const body = <T = Record<string, unknown>>(res: LightMyRequestResponse): T => res.json() as T;
