import { appendFileSync } from 'node:fs';
import type { Insertable } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { CitizensTable } from '../platform/db-types.ts';
import type { Role } from '../platform/context.ts';
import { FIN_ALPHABET } from '../modules/registry/identifiers.ts';
import { hashPassword } from '../modules/identity/password.ts';

/**
 * Notes personal values a factory created in DOST_TEST_PII_FILE (one a line), when set: the
 * log-leak check (scripts/check-log-leaks.mjs) fails if any of them, in any of these forms, is in
 * the test run's log. Values shorter than 4 characters would match ordinary words and are skipped.
 */
function recordPersonal(...values: (string | null | undefined)[]): void {
  const file = process.env.DOST_TEST_PII_FILE;
  if (!file) return;
  const forms = new Set<string>();
  for (const v of values) {
    if (!v || v.length < 4) continue;
    for (const f of [v, v.toLowerCase(), encodeURIComponent(v), encodeURIComponent(v).toLowerCase(), v.replace(/[^\d]/g, '').length >= 7 ? v.replace(/[^\d]/g, '') : '']) {
      if (f.length >= 4) forms.add(f);
    }
  }
  if (forms.size > 0) appendFileSync(file, [...forms].map((f) => `${f}\n`).join(''));
}

let seq = 0;
/** A FIN unique within the test process. */
export function uniqueFin(): string {
  let n = ++seq + process.pid * 1000;
  let s = '';
  for (let i = 0; i < 7; i++) {
    s = FIN_ALPHABET[n % FIN_ALPHABET.length] + s;
    n = Math.floor(n / FIN_ALPHABET.length);
  }
  return s;
}

/** Inserts a citizen with plausible defaults; override any column. */
export async function createCitizen(db: Db, overrides: Partial<Insertable<CitizensTable>> = {}) {
  const row = await db.insertInto('citizens').values({
    fin: uniqueFin(), last_name: 'Məmmədov', first_name: 'Elvin', patronymic: 'Rauf oğlu', birth_date: '1985-04-12',
    sex: 'M', district_code: 'BAK-YAS', address: 'Bakı, Yasamal r-nu, Şərifzadə küç. 12', phone: '+994501234567',
    id_card_number: 'AA1234567', ...overrides,
  }).returningAll().executeTakeFirstOrThrow();
  recordPersonal(row.fin, row.last_name, row.first_name, row.patronymic, row.phone, row.address, row.id_card_number);
  return row;
}

/** Inserts a household with the given members ({citizenId, relation}). */
export async function createHousehold(db: Db, members: { citizenId: number; relation: string }[], districtCode = 'BAK-YAS') {
  const h = await db.insertInto('households').values({ district_code: districtCode, address: 'Bakı' }).returningAll().executeTakeFirstOrThrow();
  for (const m of members) {
    await db.insertInto('household_members').values({ citizen_id: m.citizenId, household_id: h.household_id, relation: m.relation, joined_on: '2010-01-01' }).execute();
  }
  return h;
}

/** Inserts a user; the password is hashed with argon2id like any other. */
export async function createUser(db: Db, opts: { username?: string; roles: Role[]; password?: string; citizenId?: number | null; centerCode?: string | null; displayName?: string }) {
  const username = opts.username ?? `${opts.roles[0]}${++seq}`.replace(/_/g, '-');
  const password = opts.password ?? 'correct-horse-battery';
  const row = await db.insertInto('users').values({
    username, display_name: opts.displayName ?? `Test ${opts.roles.join('/')}`, password_hash: await hashPassword(password),
    roles: opts.roles, citizen_id: opts.citizenId ?? null, center_code: opts.centerCode ?? null,
  }).returningAll().executeTakeFirstOrThrow();
  recordPersonal(password, opts.displayName);
  return { ...row, password };
}

/** A non-proactive service with a form, available online and at centers, for tests that apply. */
export async function findApplicableService(db: Db) {
  const rows = await db.selectFrom('services').selectAll()
    .where('active', '=', true)
    .where((eb) => eb(eb.val('online'), '=', eb.fn.any('channels')))
    .where((eb) => eb(eb.val('center'), '=', eb.fn.any('channels')))
    .orderBy('service_code').execute();
  const svc = rows.find((s) => (s.form.fields as { required: boolean; prefill?: string; type: string }[])
    .some((f) => !f.prefill && f.required) && s.sla_working_days > 0);
  if (!svc) throw new Error('no applicable service in the catalog');
  return svc;
}
