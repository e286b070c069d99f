import type { Db } from '../../platform/db.ts';
import type { UsersTable } from '../../platform/db-types.ts';
import type { Insertable, Selectable, Updateable } from 'kysely';

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

/** Records a failed password attempt; locks the account once `max` is reached. */
export const recordFailedLogin = (db: Db, userId: string, max: number, lockUntil: Date) =>
  db.updateTable('users')
    .set((eb) => ({
      failed_attempts: eb('failed_attempts', '+', 1),
      locked_until: eb.case().when('failed_attempts', '>=', max - 1).then(lockUntil).else(eb.ref('locked_until')).end(),
    }))
    .where('user_id', '=', userId)
    .returning(['failed_attempts', 'locked_until'])
    .executeTakeFirstOrThrow();

/** Clears the failure counter after a good password. */
export const clearFailedLogins = (db: Db, userId: string) =>
  db.updateTable('users').set({ failed_attempts: 0, locked_until: null }).where('user_id', '=', userId).execute();

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
