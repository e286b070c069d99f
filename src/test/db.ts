import pg from 'pg';
import { openDatabase, type Database } from '../platform/db.ts';
import { createHash } from 'node:crypto';
import { listMigrations, migrate } from '../platform/migrate.ts';
import { readReferenceData, type ReferenceData } from '../modules/reference/data-files.ts';
import { upsertReferenceData } from '../modules/reference/repository.ts';

let refCache: Promise<ReferenceData> | undefined;
/** Reference data read once per test process. */
export const referenceData = () => (refCache ??= readReferenceData());

let templateName: string | undefined;
/**
 * The template database for this code: named by a hash of the migrations and reference data, so
 * two checkouts (or CI and a developer) on one server never share a template built from other SQL.
 */
async function template(): Promise<string> {
  if (templateName) return templateName;
  const h = createHash('sha256');
  for (const m of await listMigrations()) h.update(m.name).update(m.sql);
  h.update(JSON.stringify(await referenceData()));
  return (templateName = `dost_test_template_${h.digest('hex').slice(0, 12)}`);
}

async function prepareTemplate(adminUrl: string): Promise<void> {
  const TEMPLATE = await template();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(77001)');
    const exists = await admin.query('select 1 from pg_database where datname = $1', [TEMPLATE]);
    const url = new URL(adminUrl);
    url.pathname = `/${TEMPLATE}`;
    if (exists.rowCount === 0) {
      await admin.query(`create database ${TEMPLATE}`);
    }
    // Migrations are idempotent, so an existing template is brought up to date; reference data is upserted.
    const d = await openDatabase({ url: url.toString(), poolSize: 2, connectTimeoutMs: TEST_CONNECT_TIMEOUT_MS });
    try {
      await migrate(d);
      await upsertReferenceData(d.db, await referenceData());
    } finally {
      await d.close();
    }
  } finally {
    await admin.query('select pg_advisory_unlock(77001)').catch(() => undefined);
    await admin.end();
  }
}

/**
 * Test databases wait longer for a connection than the product's fail-fast default: CI runs the
 * suites, the browser and PostgreSQL on two cores, where opening a connection can take seconds.
 * The outage test passes the product's own timeout.
 */
const TEST_CONNECT_TIMEOUT_MS = 30_000;

const templateReady = new Map<string, Promise<void>>();
let counter = 0;

/** A throw-away database with every migration and the reference data; `close` drops it. */
export interface TestDatabase extends Database {
  /** For PostgreSQL: the URL of this throw-away database. */
  url?: string;
}

/**
 * Creates a fresh, migrated database with reference data for one test file: PGlite in memory by
 * default, or — when DATABASE_URL is set, or `adminUrl` given (a test's own server) — a new
 * database on that server cloned from a template.
 */
export async function createTestDatabase(adminUrl = process.env.DATABASE_URL, connectTimeoutMs = TEST_CONNECT_TIMEOUT_MS): Promise<TestDatabase> {
  if (!adminUrl) {
    const d = await openDatabase({});
    await migrate(d);
    await upsertReferenceData(d.db, await referenceData());
    return d;
  }
  if (!templateReady.has(adminUrl)) templateReady.set(adminUrl, prepareTemplate(adminUrl));
  await templateReady.get(adminUrl);
  const TEMPLATE = await template();
  const name = `dost_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // CREATE DATABASE ... TEMPLATE needs no other session on the template; retry briefly if one lingers.
    for (let i = 0; ; i++) {
      try {
        await admin.query(`create database ${name} template ${TEMPLATE}`);
        break;
      } catch (e) {
        if (i > 50 || !String((e as Error).message).includes('being accessed')) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const d = await openDatabase({ url: url.toString(), poolSize: 10, connectTimeoutMs });
  const close = d.close;
  return {
    ...d,
    url: url.toString(),
    async close() {
      await close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await a.end();
    },
  };
}
