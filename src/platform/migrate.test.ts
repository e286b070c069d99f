import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { migrate } from './migrate.ts';

let d: TestDatabase;
before(async () => { d = await createTestDatabase(); });
after(() => d.close());

test('migrations are idempotent: running them again applies nothing', async () => {
  assert.deepEqual(await migrate(d), []);
});

test('every table and every column carries a COMMENT', async () => {
  const missing = await sql<{ what: string }>`
    select c.relname as what from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' and obj_description(c.oid, 'pg_class') is null
    union all
    select c.relname || '.' || a.attname from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'schema_migrations'
       and col_description(c.oid, a.attnum) is null`.execute(d.db);
  assert.deepEqual(missing.rows.map((r) => r.what), []);
});

test('the Kysely row types list exactly the columns the migrations create', async () => {
  const cols = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns where table_schema = 'public' and table_name <> 'schema_migrations'`.execute(d.db);
  // Core tables are in platform/db-types.ts; a module adds its own in modules/<name>/db-types.ts
  // by augmenting the DB interface.
  const modulesDir = new URL('../modules/', import.meta.url);
  const moduleTypes = readdirSync(modulesDir).map((m) => new URL(`${m}/db-types.ts`, modulesDir)).filter((u) => existsSync(u));
  const src = [new URL('./db-types.ts', import.meta.url), ...moduleTypes].map((u) => readFileSync(u, 'utf8')).join('\n');
  const byTable = new Map<string, Set<string>>();
  for (const c of cols.rows) (byTable.get(c.table_name) ?? byTable.set(c.table_name, new Set()).get(c.table_name)!).add(c.column_name);
  const dbBlocks = [...src.matchAll(/interface DB \{([\s\S]*?)\n\s*\}/g)].map((m) => m[1]).join('\n');
  for (const [table, columns] of byTable) {
    const iface = new RegExp(`\\b${table}: (\\w+);`).exec(dbBlocks)?.[1];
    assert.ok(iface, `table ${table} is missing from DB in db-types.ts`);
    const body = new RegExp(`export interface ${iface} \\{([\\s\\S]*?)\\n\\}`).exec(src)?.[1] ?? '';
    const declared = new Set([...body.matchAll(/^\s+(\w+):/gm)].map((m) => m[1]!));
    assert.deepEqual([...declared].sort(), [...columns].sort(), `columns of ${table}`);
  }
});

test('citizen-owned tables carry citizen_id first in their primary key (ready to distribute by citizen)', async () => {
  const pk = await sql<{ table_name: string; first: string }>`
    select tc.table_name, kcu.column_name as first from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.ordinal_position = 1
     where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = 'public'`.execute(d.db);
  const first = new Map(pk.rows.map((r) => [r.table_name, r.first]));
  for (const t of ['citizens', 'life_events', 'household_members', 'applications', 'application_actions']) assert.equal(first.get(t), 'citizen_id', t);
});

test('life events and the audit log are append-only', async () => {
  await assert.rejects(d.db.deleteFrom('audit_log').execute().then(async () => {
    await d.db.insertInto('audit_log').values({ action: 'x', resource: 'y', purpose: 'z', actor_roles: [], citizen_id: null }).execute();
    await d.db.deleteFrom('audit_log').execute();
  }), /append-only/);
});
