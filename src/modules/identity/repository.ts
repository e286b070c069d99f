import type { Db } from '../../platform/db.ts';
import type { UsersTable } from '../../platform/db-types.ts';
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';

export type UserRow = Selectable<UsersTable>;

/** Finds a user by login name. */
export const findUserByUsername = (db: Db, username: string) =>
  db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();

/** Finds a user by id. */
export const findUserById = (db: Db, userId: string) =>
  db.selectFrom('users').selectAll().where('user_id', '=', userId).executeTakeFirst();

/** Inserts a user and returns the row. */
export const insertUser = (db: Db, values: Insertable<UsersTable>) =>
  db.insertInto('users').values(values).returningAll().executeTakeFirstOrThrow();

/** Updates a user and returns the row, or undefined when there is none. */
export const updateUser = (db: Db, userId: string, values: Updateable<UsersTable>) =>
  db.updateTable('users').set({ ...values, updated_at: new Date() }).where('user_id', '=', userId).returningAll().executeTakeFirst();

/**
 * Counts a sign-in attempt of (username, source) before its password is checked, in one
 * conditional upsert: the row lock serialises concurrent attempts, and an attempt is counted only
 * while the pair is not locked. The attempt that reaches `max` locks the pair for `baseSeconds`,
 * each further one (after the lock has passed) for twice as long as the one before, up to
 * `capSeconds`. A pair idle since `resetBefore` starts again from one. Returns the count, or
 * undefined when the pair is locked: the password must then not be checked at all.
 */
export async function chargeLoginAttempt(db: Db, a: { username: string; source: string; now: Date; max: number; resetBefore: Date; baseSeconds: number; capSeconds: number }) {
  const next = sql<number>`(CASE WHEN login_attempts.last_attempt_at < ${a.resetBefore} THEN 1 ELSE login_attempts.failures + 1 END)`;
  const lockUntil = sql<Date | null>`(CASE WHEN ${next} >= ${a.max}::int THEN ${a.now}::timestamptz
    + LEAST(${a.baseSeconds}::float8 * power(2::float8, LEAST(${next} - ${a.max}::int, 40)::float8), ${a.capSeconds}::float8) * interval '1 second' END)`;
  return db.insertInto('login_attempts')
    .values({
      username: a.username, source: a.source, failures: 1, last_attempt_at: a.now,
      locked_until: a.max <= 1 ? new Date(a.now.getTime() + Math.min(a.baseSeconds, a.capSeconds) * 1000) : null,
    })
    .onConflict((oc) => oc.columns(['username', 'source'])
      .doUpdateSet({ failures: next, last_attempt_at: a.now, locked_until: lockUntil })
      .where((eb) => eb.or([eb('login_attempts.locked_until', 'is', null), eb('login_attempts.locked_until', '<=', a.now)])))
    .returning(['failures', 'locked_until'])
    .executeTakeFirst();
}

/** Forgets the attempts of a name from one source (a good password), or from every source (an administrator's reset). */
export const clearLoginAttempts = (db: Db, username: string, source?: string) => {
  let q = db.deleteFrom('login_attempts').where('username', '=', username);
  if (source !== undefined) q = q.where('source', '=', source);
  return q.execute();
};

/** Drops attempt rows idle since `before` (they no longer count). */
export const pruneLoginAttempts = (db: Db, before: Date) =>
  db.deleteFrom('login_attempts').where('last_attempt_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', before)])).execute();

/** The latest active lock of each of these names, over every source. */
export async function activeLocks(db: Db, usernames: string[], now: Date): Promise<Map<string, Date>> {
  if (usernames.length === 0) return new Map();
  const rows = await db.selectFrom('login_attempts').select(['username', (eb) => eb.fn.max('locked_until').as('until')])
    .where('username', 'in', usernames).where('locked_until', '>', now).groupBy('username').execute();
  return new Map(rows.map((r) => [r.username, new Date(r.until as unknown as Date)]));
}

/** Lists users with optional text and role filters. */
export async function listUsers(db: Db, f: { q?: string; role?: string; limit: number; offset: number }) {
  let query = db.selectFrom('users');
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('username', 'like', like), eb(eb.fn('lower', ['display_name']), 'like', like)]));
  }
  if (f.role) query = query.where((eb) => eb(eb.val(f.role), '=', eb.fn.any('roles')));
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('username').limit(f.limit).offset(f.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Stores a new session (only the token's hash). */
export const insertSession = (db: Db, s: { tokenHash: string; userId: string; kind: 'cookie' | 'bearer'; csrfToken: string; expiresAt: Date; ip?: string; userAgent?: string }) =>
  db.insertInto('sessions').values({
    token_hash: s.tokenHash, user_id: s.userId, kind: s.kind, csrf_token: s.csrfToken, expires_at: s.expiresAt,
    ip: s.ip ?? null, user_agent: s.userAgent ?? null,
  }).execute();

/** The live session for a token hash, joined with its user. */
export const findSessionWithUser = (db: Db, tokenHash: string, now: Date) =>
  db.selectFrom('sessions')
    .innerJoin('users', 'users.user_id', 'sessions.user_id')
    .select(['sessions.kind', 'sessions.csrf_token', 'sessions.expires_at', 'sessions.last_seen_at',
      'users.user_id', 'users.username', 'users.display_name', 'users.roles', 'users.citizen_id', 'users.center_code',
      'users.locale', 'users.disabled'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();

/** Marks a session as used now. */
export const touchSession = (db: Db, tokenHash: string, now: Date) =>
  db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();

/** Ends a session. */
export const deleteSession = (db: Db, tokenHash: string) =>
  db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();

/** Ends every session of a user (password change, disable). */
export const deleteUserSessions = (db: Db, userId: string) =>
  db.deleteFrom('sessions').where('user_id', '=', userId).execute();
