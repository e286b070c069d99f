import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import type { DB } from './db-types.ts';
import { AppError } from './errors.ts';
import type { Logger } from './logger.ts';

export type { DB };
/** The typed query builder every repository receives. */
export type Db = Kysely<DB>;

/** Which engine is behind the connection: the embedded one or a server. */
export type DbKind = 'pglite' | 'postgres';

/** An open database: the query builder plus what migrations, COPY and shutdown need. */
export interface Database {
  db: Db;
  kind: DbKind;
  /** Runs SQL that may hold several statements (migrations). */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs `fn` with one connection held exclusively (a transaction may be opened on it with
   * BEGIN/COMMIT) — for bulk COPY and other work the query builder does not express.
   */
  withConnection<T>(fn: (conn: RawConnection) => Promise<T>): Promise<T>;
  /** Set for the embedded engine. */
  pglite?: PGlite;
  /** Set for a server. */
  pool?: pg.Pool;
}

/** One exclusive connection: plain queries plus COPY ... FROM STDIN fed from a stream. */
export interface RawConnection {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  /**
   * Streams `source` (CSV text chunks) into `copySql`, a `COPY table (cols) FROM STDIN ...` statement.
   * Returns the rows copied. On PGlite the chunks are gathered into one blob first, so feed it
   * batches of bounded size.
   */
  copyFrom(copySql: string, source: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<number>;
}

// One set of type parsers for both engines, so the same query returns the same JS values:
// int8 and numeric as numbers (ids and AZN amounts stay far below 2^53), dates as 'YYYY-MM-DD'.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const parseNumber = (v: string) => Number(v);
const parseDate = (v: string) => v;

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return parseNumber;
    if (oid === DATE) return parseDate;
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

/** A one-at-a-time lock: PGlite is one connection, so a transaction must own it exclusively. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    return prev.then(() => release);
  }
}

const COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'SELECT', 'WITH']);

/**
 * Presents PGlite as a `pg` pool of one connection so Kysely's own PostgresDialect drives both
 * engines: one code path, the same SQL. Written here because the published Kysely PGlite
 * dialects do not support PGlite 0.5.
 */
function pglitePool(db: PGlite) {
  const mutex = new Mutex();
  return {
    async connect() {
      const release = await mutex.lock();
      return {
        async query(text: string, params: unknown[] = []) {
          const res = await db.query<Record<string, unknown>>(text, params as unknown[]);
          const first = text.trimStart().slice(0, 6).toUpperCase().replace(/[^A-Z]/g, '');
          const command = COMMANDS.has(first) ? first : 'OTHER';
          return { command, rowCount: res.affectedRows ?? res.rows.length, rows: res.rows };
        },
        release,
      };
    },
    async end() {
      /* closed by Database.close */
    },
  };
}

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when absent PGlite is used. */
  url?: string;
  /** PGlite data directory; absent = in memory. */
  dataDir?: string;
  poolSize?: number;
  /** Overrides {@link CONNECT_TIMEOUT_MS} (tests on a saturated CI machine wait longer for a connection). */
  connectTimeoutMs?: number;
  /** PGlite's shared_buffers (e.g. '16MB'); PostgreSQL's default of 128MB is most of its memory. */
  pgliteSharedBuffers?: string;
  /** Where lost server connections are reported (warn); silent when absent. */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * How long taking a server connection may wait (opening one, or waiting for a free one in the
 * pool) before the request fails as UNAVAILABLE. An outage then costs a caller seconds, not a hang.
 */
export const CONNECT_TIMEOUT_MS = 3000;

/** Seconds a caller is told to wait (Retry-After) before retrying a request the database could not serve. */
export const DATABASE_RETRY_AFTER_S = 2;

/** How long the readiness probe waits for the database before saying "not ready". */
export const READY_TIMEOUT_MS = 1500;

/** The TCP keep-alive delay of server connections: a cut network is noticed on idle connections too. */
const KEEPALIVE_DELAY_MS = 10_000;

/** The options every server connection uses (the pool's and the notifier's dedicated one). */
export const serverConnectionOptions = (url: string, connectTimeoutMs = CONNECT_TIMEOUT_MS) => ({
  connectionString: url,
  connectionTimeoutMillis: connectTimeoutMs,
  keepAlive: true,
  keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
});

// SQLSTATEs that mean the server went away or cannot take the session now, not that the query
// was wrong: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, and the
// whole connection_exception class (08xxx).
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
// Socket errors of a refused, reset or cut connection (and a failover's DNS answering late).
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN',
  'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN',
]);
// What node-postgres and its pool say when the socket is gone or could not be had in time.
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/, // "… unexpectedly", "… due to connection timeout"
  /^timeout exceeded when trying to connect$/, // pg-pool: no connection within connectionTimeoutMillis
  /is not queryable$/, // "Client has encountered a connection error and is not queryable"
  /^Cannot use a pool after calling end on the pool$/,
];

/**
 * True when `err` says the database server cannot be reached or dropped the connection (restart,
 * failover, network cut, connection timeout), as opposed to a query the server refused. These are
 * answered 503 UNAVAILABLE with Retry-After; the pool replaces the broken connections by itself.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  if (err instanceof AppError) return err.code === 'UNAVAILABLE';
  const e = err as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code) || UNAVAILABLE_ERRNOS.has(e.code)) return true;
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(e.message as string))) return true;
  // Node's connect to a host with several addresses fails with an AggregateError of each attempt.
  if (Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return e.cause !== undefined && isDatabaseUnavailable(e.cause, depth + 1);
}

/** `err` as AppError('UNAVAILABLE') when the database is unreachable; otherwise `err` itself. */
export function toUnavailable(err: unknown): unknown {
  return isDatabaseUnavailable(err) && !(err instanceof AppError) ? new AppError('UNAVAILABLE') : err;
}

/** Opens the embedded database (PGlite, data kept on disk) or a PostgreSQL server pool. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ ...serverConnectionOptions(opts.url, opts.connectTimeoutMs), max: opts.poolSize ?? 20, types: pgTypes });
    // A server restart, failover or cut ends every connection with an 'error' event. The pool
    // listens only on idle clients; one checked out (between two statements of a transaction,
    // say) would emit it with no listener and end the process. So every client gets its own
    // listener for its whole life: the statement in flight fails (→ 503), the client is no longer
    // queryable and the pool drops it on release; the next checkout opens a fresh connection.
    const lost = (err: Error) => opts.logger?.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'database connection lost');
    pool.on('connect', (client) => client.on('error', lost));
    pool.on('error', () => {
      /* an idle client's error, already reported by its own listener; the pool has dropped it */
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      pool,
      async withConnection(fn) {
        const client = await pool.connect();
        try {
          return await fn({
            async query(text, params) {
              const r = await client.query(text, params as unknown[]);
              return { rows: r.rows, rowCount: r.rowCount ?? 0 };
            },
            async copyFrom(copySql, source) {
              const stream = client.query(copyStreams.from(copySql));
              await pipeline(Readable.from(source as AsyncIterable<string | Buffer>), stream);
              return Number(stream.rowCount ?? 0);
            },
          });
        } finally {
          client.release();
        }
      },
      async exec(text) {
        await pool.query(text);
      },
      async close() {
        await db.destroy();
      },
    };
  }
  const pglite = await PGlite.create(opts.dataDir, {
    ...(opts.pgliteSharedBuffers && { postgresqlconf: [`shared_buffers=${opts.pgliteSharedBuffers}`] }),
    parsers: { [INT8]: parseNumber, [NUMERIC]: parseNumber, [DATE]: parseDate },
  });
  const pool = pglitePool(pglite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as never }) });
  return {
    db,
    kind: 'pglite',
    pglite,
    async withConnection(fn) {
      const conn = await pool.connect();
      try {
        return await fn({
          async query(text, params) {
            const r = await pglite.query<never>(text, params as unknown[]);
            return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
          },
          async copyFrom(copySql, source) {
            const parts: (string | Buffer)[] = [];
            for await (const chunk of source as AsyncIterable<string | Buffer>) parts.push(chunk);
            const blob = new Blob(parts as BlobPart[]);
            const r = await pglite.query(copySql.replace(/FROM\s+STDIN/i, "FROM '/dev/blob'"), [], { blob });
            return r.affectedRows ?? 0;
          },
        });
      } finally {
        conn.release();
      }
    },
    async exec(text) {
      const conn = await pool.connect();
      try {
        await pglite.exec(text);
      } finally {
        conn.release();
      }
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}

/**
 * Checks that the database answers (readiness probe), within `timeoutMs`: a probe must answer
 * fast whatever the state of the network, so a ping still waiting then counts as a failure.
 */
export async function pingDatabase(db: Db, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ping = sql`select 1`.execute(db);
  try {
    await Promise.race([
      ping,
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new AppError('UNAVAILABLE')), timeoutMs); }),
    ]);
  } finally {
    clearTimeout(timer);
    ping.catch(() => undefined); // lost the race: its own failure is of no interest
  }
}

export type { CompiledQuery };
