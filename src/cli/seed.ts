import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { AppContext, Role } from '../platform/context.ts';
import { createUser } from '../modules/identity/index.ts';

/** A demo login as printed at start. */
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

const loginsFile = (dataDir: string) => path.join(dataDir, 'demo-logins.json');

/** Reads the demo logins written at first seed, if any. */
export async function readDemoLogins(dataDir: string): Promise<DemoLogin[] | undefined> {
  const f = loginsFile(dataDir);
  if (!existsSync(f)) return undefined;
  return JSON.parse(await readFile(f, 'utf8')) as DemoLogin[];
}

/**
 * Creates one user per role with a random password, the citizen user linked to an adult of the
 * demo population who has a household, and writes the logins to the data directory (0600) so
 * they can be printed again at every start. Does nothing when users exist already.
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
  await writeFile(loginsFile(ctx.config.dataDir), JSON.stringify(logins, null, 2), { mode: 0o600 });
  return logins;
}

/** Prints the demo logins as a table. */
export function printDemoLogins(logins: DemoLogin[], url: string, out: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): void {
  out('');
  out(`  dost is running at ${url}`);
  out('  Demo logins (stored in the data directory; for demos only):');
  for (const l of logins) out(`    ${l.role.padEnd(18)} ${l.username.padEnd(10)} ${l.password}`);
  out('');
}
