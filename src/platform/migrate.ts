import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from './paths.ts';
import { sql } from 'kysely';
import type { Database } from './db.ts';

/** Folder of the versioned SQL migrations, run in file-name order on both engines. */
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');

/** A migration file: `NNNN_name.sql`. */
export interface Migration {
  version: string;
  name: string;
  sql: string;
}

/** Lists the migration files in order. */
export async function listMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => ({ version: f.slice(0, 4), name: f.replace(/\.sql$/, ''), sql: await readFile(path.join(dir, f), 'utf8') })),
  );
}

/**
 * Applies every migration not yet applied, each in its own transaction, and records it in
 * schema_migrations. On a server an advisory lock keeps two starting processes from racing.
 * Returns the names applied.
 */
export async function migrate(database: Database, onApplied?: (name: string) => void): Promise<string[]> {
  await database.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
    COMMENT ON TABLE schema_migrations IS 'Migrations applied to this database.';`);
  const applied: string[] = [];
  const run = async () => {
    const done = new Set(
      (await sql<{ version: string }>`select version from schema_migrations`.execute(database.db)).rows.map((r) => r.version),
    );
    for (const m of await listMigrations()) {
      if (done.has(m.version)) continue;
      const escapedName = m.name.replace(/'/g, "''");
      await database.exec(`BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations (version, name) VALUES ('${m.version}', '${escapedName}');\nCOMMIT;`);
      applied.push(m.name);
      onApplied?.(m.name);
    }
  };
  if (database.kind === 'postgres' && database.pool) {
    const client = await database.pool.connect();
    try {
      await client.query('select pg_advisory_lock(823471)');
      try {
        await run();
      } finally {
        await client.query('select pg_advisory_unlock(823471)');
      }
    } finally {
      client.release();
    }
  } else {
    await run();
  }
  return applied;
}
