import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Actor, AppContext, Role } from '../platform/context.ts';
import type { Locale } from '../platform/i18n.ts';
import { sampleAnswers, submitApplication, takeAction } from '../modules/cases/index.ts';
import { toServiceDetail } from '../modules/catalog/index.ts';
import { createUser } from '../modules/identity/index.ts';

/** A demo login as printed when the demo users are created. */
export interface DemoLogin {
  role: Role;
  username: string;
  password: string;
  displayName: string;
}

const DEMO_USERS: { role: Role; username: string; displayName: string; center?: boolean }[] = [
  { role: 'citizen', username: 'citizen', displayName: '' },
  { role: 'operator', username: 'operator', displayName: 'Aysel Quliyeva (operator, Bakı DOST №1)', center: true },
  { role: 'officer', username: 'officer', displayName: 'Rəşad Əliyev (back office)' },
  { role: 'center_manager', username: 'manager', displayName: 'Nigar Hüseynova (mərkəz rəhbəri)', center: true },
  { role: 'call_center_agent', username: 'agent142', displayName: 'Tural Məmmədli (142 çağrı mərkəzi)' },
  { role: 'analyst', username: 'analyst', displayName: 'Leyla Kərimova (nazirlik analitiki)' },
  { role: 'admin', username: 'admin', displayName: 'Sistem inzibatçısı' },
];

/** Where the demo logins are kept after the first seed: the data directory, readable by its owner only (0600). */
export const demoLoginsFile = (dataDir: string) => path.resolve(dataDir, 'demo-logins.json');

/**
 * Creates one user per role with a random password, the citizen user linked to an adult of the
 * demo population who has a household, and writes the logins to the data directory, readable by
 * its owner only (0600). Returns them only when it created them: they are shown once, at this
 * seed, never again. Does nothing (undefined) when users exist already.
 */
export async function seedDemoUsers(ctx: AppContext): Promise<DemoLogin[] | undefined> {
  const existing = await ctx.db.selectFrom('users').select('user_id').limit(1).executeTakeFirst();
  if (existing) return undefined;
  const citizen = await ctx.db.selectFrom('citizens as c')
    .innerJoin('household_members as hm', 'hm.citizen_id', 'c.citizen_id')
    .select(['c.citizen_id', 'c.last_name', 'c.first_name'])
    .where('c.death_date', 'is', null)
    .where('c.birth_date', '<=', '1996-01-01').where('c.birth_date', '>=', '1976-01-01')
    .where('hm.left_on', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('household_members as o').select(sql`1`.as('x'))
      .whereRef('o.household_id', '=', 'hm.household_id').whereRef('o.citizen_id', '<>', 'c.citizen_id')))
    .orderBy('c.citizen_id').limit(1).executeTakeFirst();
  const center = await ctx.db.selectFrom('centers').select('center_code').where('status', '=', 'open').orderBy('center_code').limit(1).executeTakeFirst();
  const logins: DemoLogin[] = [];
  for (const u of DEMO_USERS) {
    if (u.role === 'citizen' && !citizen) continue;
    const password = randomBytes(9).toString('base64url');
    const displayName = u.role === 'citizen' ? `${citizen!.last_name} ${citizen!.first_name}` : u.displayName;
    await createUser(ctx, {
      username: u.username, displayName, password, roles: [u.role], locale: 'az',
      centerCode: u.center ? center?.center_code ?? null : null, citizenId: u.role === 'citizen' ? citizen!.citizen_id : null,
    });
    logins.push({ role: u.role, username: u.username, password, displayName });
  }
  await mkdir(ctx.config.dataDir, { recursive: true });
  const file = demoLoginsFile(ctx.config.dataDir);
  await writeFile(file, JSON.stringify(logins, null, 2), { mode: 0o600 });
  await chmod(file, 0o600); // a file left from an earlier database keeps its mode through writeFile
  return logins;
}

/**
 * Prints the demo logins just created as a table under a heading line, with where they are kept.
 * Never in production: there only the file is named.
 */
export function printDemoLogins(logins: DemoLogin[], heading: string, opts: { production: boolean; file: string },
  out: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): void {
  out('');
  out(`  ${heading}`);
  if (opts.production) {
    out(`  Demo logins created; they are in ${opts.file} (readable by its owner only), not printed in production.`);
  } else {
    out(`  Demo logins (shown this once; kept in ${opts.file}, readable by its owner only; for demos only):`);
    for (const l of logins) out(`    ${l.role.padEnd(18)} ${l.username.padEnd(10)} ${l.password}`);
  }
  out('');
}

function actorFor(u: { user_id: string; username: string; display_name: string; roles: string[]; citizen_id: number | null; center_code: string | null; locale: string }): Actor {
  return { userId: u.user_id, username: u.username, displayName: u.display_name, roles: u.roles as Role[], citizenId: u.citizen_id, centerCode: u.center_code, locale: u.locale as Locale };
}

/**
 * Fills the demo inbox: `count` applications submitted at the operator's center for people of
 * the demo population, through the same service functions the API uses, then moved along the
 * workflow by the demo officer (some in review, some waiting for information, some decided).
 * Deterministic; does nothing when applications exist.
 */
export async function seedDemoApplications(ctx: AppContext, count = 40): Promise<number> {
  if (await ctx.db.selectFrom('applications').select('reference').limit(1).executeTakeFirst()) return 0;
  const users = await ctx.db.selectFrom('users').selectAll().where('username', 'in', ['operator', 'officer']).execute();
  const operator = users.find((u) => u.username === 'operator');
  const officer = users.find((u) => u.username === 'officer');
  if (!operator || !officer) return 0;
  const op = actorFor(operator);
  const off = actorFor(officer);
  const services = (await ctx.db.selectFrom('services').selectAll().where('active', '=', true).orderBy('service_code').execute())
    .filter((s) => s.channels.includes('center') && s.sla_working_days > 0);
  const people = await ctx.db.selectFrom('citizens').select('citizen_id').where('death_date', 'is', null)
    .where('birth_date', '<=', '2008-01-01').orderBy('citizen_id').limit(count * 3).execute();
  let made = 0;
  for (let i = 0; i < count && services.length > 0 && people.length > 0; i++) {
    const svc = services[(i * 7) % services.length]!;
    const citizenId = people[(i * 5) % people.length]!.citizen_id;
    const detail = toServiceDetail(svc);
    const r = await submitApplication(ctx, op, { serviceCode: svc.service_code, citizenId, data: sampleAnswers(detail.form.fields, (n) => i % n) }, `demo-seed-${i}`);
    const ref = r.body.reference;
    made++;
    const stage = i % 5; // 0: submitted, 1: in review, 2: information requested, 3: approved, 4: rejected
    if (stage >= 1) await takeAction(ctx, off, ref, { action: 'start_review' });
    if (stage === 2) await takeAction(ctx, off, ref, { action: 'request_info', comment: 'Zəhmət olmasa, əmək kitabçasının surətini təqdim edin.' });
    if (stage === 3) await takeAction(ctx, off, ref, { action: 'approve', comment: 'Sənədlər qaydasındadır.' });
    if (stage === 4) await takeAction(ctx, off, ref, { action: 'reject', reason: 'incomplete_documents', comment: 'Tələb olunan sənədlər təqdim edilməyib.' });
  }
  return made;
}
