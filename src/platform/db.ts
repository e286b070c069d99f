import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import type { DB } from './db-types.ts';

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
  /** PGlite's shared_buffers (e.g. '16MB'); PostgreSQL's default of 128MB is most of its memory. */
  pgliteSharedBuffers?: string;
}

/** Opens the embedded database (PGlite, data kept on disk) or a PostgreSQL server pool. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 20, types: pgTypes });
    pool.on('error', () => {
      /* idle client errors are reported on next use */
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

/** Checks that the database answers (readiness probe). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

export type { CompiledQuery };
