import { createHash, randomBytes } from 'node:crypto';
import type { Actor, AppContext, Role } from '../../platform/context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { dummyHash, hashPassword, verifyPassword } from './password.ts';
import * as repo from './repository.ts';
import type { AdminUserOut, CreateUserBody, ListUsersQuery, UpdateUserBody, UserOut } from './schema.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/** The public shape of a user. */
export function toUserOut(u: repo.UserRow): UserOut {
  return {
    id: u.user_id, username: u.username, displayName: u.display_name, roles: u.roles as Role[],
    locale: u.locale as Locale, citizenId: u.citizen_id, centerCode: u.center_code,
  };
}

/** The admin's view of a user; `lockedUntil` is the latest lock of the name from any address. */
function toAdminUserOut(u: repo.UserRow, locks: Map<string, Date>): AdminUserOut {
  return { ...toUserOut(u), disabled: u.disabled, lockedUntil: locks.get(u.username)?.toISOString() ?? null, createdAt: u.created_at.toISOString() };
}

/** A new session's secrets: the token goes to the client, only its hash is stored. */
export interface IssuedSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: UserOut;
}

/** How many stored password hashes sign-in has verified in this process (tests count checks with it). */
export const signInStats = { passwordChecks: 0 };

const DAY_MS = 24 * 3600_000;

/**
 * Checks a username and password coming from `source` (the client's address).
 *
 * The attempt is counted for the pair (name, source) before the password is checked, in one
 * conditional upsert (repo.chargeLoginAttempt), so N concurrent guesses check at most
 * `loginMaxAttempts` passwords. A pair that reaches the limit is refused, right password or not,
 * for `loginLockMinutes`, then twice as long after each further failure (up to a day); a good
 * password clears the pair. A stranger guessing from elsewhere locks only their own pair.
 *
 * An unknown name, a wrong password, a disabled user and a locked pair all get the same
 * INVALID_CREDENTIALS after the same argon2 work, and attempts are counted for names that do not
 * exist exactly as for names that do: neither the answer nor its timing tells which names exist.
 */
export async function authenticate(ctx: AppContext, username: string, password: string, source: string): Promise<repo.UserRow> {
  const now = ctx.now();
  const name = username.trim().toLowerCase();
  const charged = await repo.chargeLoginAttempt(ctx.db, {
    username: name, source, now, max: ctx.config.loginMaxAttempts, resetBefore: new Date(now.getTime() - DAY_MS),
    baseSeconds: ctx.config.loginLockMinutes * 60, capSeconds: DAY_MS / 1000,
  });
  const user = charged ? await repo.findUserByUsername(ctx.db, name) : undefined;
  if (!user || !user.password_hash || user.disabled) {
    await verifyPassword(await dummyHash(), password);
    throw new AppError('INVALID_CREDENTIALS');
  }
  signInStats.passwordChecks++;
  if (!(await verifyPassword(user.password_hash, password))) throw new AppError('INVALID_CREDENTIALS');
  await repo.clearLoginAttempts(ctx.db, name, source);
  await repo.pruneLoginAttempts(ctx.db, new Date(now.getTime() - DAY_MS));
  return user;
}

/** Opens a session (cookie for the web app, bearer for API clients) for a user. */
export async function openSession(
  ctx: AppContext,
  user: repo.UserRow,
  kind: 'cookie' | 'bearer',
  meta: { ip?: string; userAgent?: string } = {},
): Promise<IssuedSession> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.sessionTtlHours * 3600_000);
  await repo.insertSession(ctx.db, { tokenHash: sha256(token), userId: user.user_id, kind, csrfToken, expiresAt, ...meta });
  return { token, csrfToken, expiresAt, user: toUserOut(user) };
}

/** A resolved session: the actor plus what the HTTP layer needs to check CSRF. */
export interface ResolvedSession {
  actor: Actor;
  kind: 'cookie' | 'bearer';
  csrfToken: string;
}

// Resolved sessions are kept a few seconds per process: a database read on every request would
// cost more than the rest of most requests. Logout, disabling a user or changing their roles
// evicts at once in this process; other processes see it within SESSION_CACHE_MS.
const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_MAX = 50_000;
type CachedSession = { value: ResolvedSession; userId: string; until: number; expiresAt: number };
const sessionCaches = new WeakMap<object, Map<string, CachedSession>>();
const cacheOf = (ctx: AppContext) => {
  let c = sessionCaches.get(ctx.database);
  if (!c) sessionCaches.set(ctx.database, (c = new Map()));
  return c;
};

/** Drops cached sessions of a user (or one token hash) in this process. */
function evictSessions(ctx: AppContext, match: { userId?: string; tokenHash?: string }) {
  const cache = cacheOf(ctx);
  if (match.tokenHash) cache.delete(match.tokenHash);
  if (match.userId) for (const [k, v] of cache) if (v.userId === match.userId) cache.delete(k);
}

/** Looks up a session token; undefined when unknown, expired or the user is disabled. */
export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession | undefined> {
  const now = ctx.now();
  const hash = sha256(token);
  const cache = cacheOf(ctx);
  const hit = cache.get(hash);
  if (hit && hit.until > Date.now() && hit.expiresAt > now.getTime()) return hit.value;
  const s = await repo.findSessionWithUser(ctx.db, hash, now);
  if (!s || s.disabled) {
    cache.delete(hash);
    return undefined;
  }
  // Touch at most once a minute: a write per request would double the cost of every read.
  if (now.getTime() - s.last_seen_at.getTime() > 60_000) await repo.touchSession(ctx.db, hash, now);
  const value: ResolvedSession = {
    kind: s.kind,
    csrfToken: s.csrf_token,
    actor: {
      userId: s.user_id, username: s.username, displayName: s.display_name, roles: s.roles as Role[],
      citizenId: s.citizen_id, centerCode: s.center_code, locale: s.locale as Locale,
    },
  };
  if (cache.size >= SESSION_CACHE_MAX) cache.clear();
  cache.set(hash, { value, userId: s.user_id, until: Date.now() + SESSION_CACHE_MS, expiresAt: s.expires_at.getTime() });
  return value;
}

/** Ends the session the token belongs to. */
export async function closeSession(ctx: AppContext, token: string): Promise<void> {
  evictSessions(ctx, { tokenHash: sha256(token) });
  await repo.deleteSession(ctx.db, sha256(token));
}

/** The signed-in user's own record. */
export async function getMe(ctx: AppContext, actor: Actor): Promise<UserOut> {
  const u = await repo.findUserById(ctx.db, actor.userId);
  if (!u) throw new AppError('UNAUTHENTICATED');
  return toUserOut(u);
}

/** Admin: a page of users. */
export async function listUsers(ctx: AppContext, q: ListUsersQuery) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { rows, total } = await repo.listUsers(ctx.db, { q: q.q, role: q.role, limit: pageSize, offset: (page - 1) * pageSize });
  const locks = await repo.activeLocks(ctx.db, rows.map((r) => r.username), ctx.now());
  return { items: rows.map((r) => toAdminUserOut(r, locks)), page, pageSize, total };
}

async function checkCenter(ctx: AppContext, centerCode: string | null | undefined) {
  if (!centerCode) return;
  const c = await ctx.db.selectFrom('centers').select('center_code').where('center_code', '=', centerCode).executeTakeFirst();
  if (!c) throw new AppError('VALIDATION_FAILED', {}, [{ field: '/centerCode', code: 'unknown', message: `unknown center ${centerCode}` }]);
}

/** Admin: creates a user with an argon2id password. */
export async function createUser(ctx: AppContext, body: CreateUserBody, actor?: Actor): Promise<AdminUserOut> {
  await checkCenter(ctx, body.centerCode);
  if (await repo.findUserByUsername(ctx.db, body.username)) throw new AppError('CONFLICT', { what: `username ${body.username}` });
  if (body.citizenId != null) {
    const c = await ctx.db.selectFrom('citizens').select('citizen_id').where('citizen_id', '=', body.citizenId).executeTakeFirst();
    if (!c) throw new AppError('VALIDATION_FAILED', {}, [{ field: '/citizenId', code: 'unknown', message: 'unknown citizen' }]);
  }
  try {
    const passwordHash = await hashPassword(body.password);
    const row = await ctx.db.transaction().execute(async (trx) => {
      const r = await repo.insertUser(trx, {
        username: body.username, display_name: body.displayName, password_hash: passwordHash,
        roles: body.roles, center_code: body.centerCode ?? null, citizen_id: body.citizenId ?? null, locale: body.locale ?? 'az',
      });
      if (r.citizen_id != null) await recordAudit(trx, actor ?? null, { action: 'user.link_citizen', citizenId: r.citizen_id, resource: `users/${r.user_id}`, purpose: 'administrator links a user to a registry person' });
      return r;
    });
    return toAdminUserOut(row, await repo.activeLocks(ctx.db, [row.username], ctx.now()));
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new AppError('CONFLICT', { what: `username ${body.username}` });
    throw e;
  }
}

/** Admin: changes a user; a new password or disabling ends their sessions. */
export async function updateUser(ctx: AppContext, actor: Actor, userId: string, body: UpdateUserBody): Promise<AdminUserOut> {
  await checkCenter(ctx, body.centerCode);
  if (userId === actor.userId && (body.disabled === true || (body.roles && !body.roles.includes('admin')))) {
    throw new AppError('CONFLICT', { what: 'an administrator cannot disable or demote themself' });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.updateUser(trx, userId, {
      ...(body.displayName !== undefined && { display_name: body.displayName }),
      ...(body.roles !== undefined && { roles: body.roles }),
      ...(body.centerCode !== undefined && { center_code: body.centerCode }),
      ...(body.disabled !== undefined && { disabled: body.disabled }),
      ...(body.locale !== undefined && { locale: body.locale }),
      ...(body.password !== undefined && { password_hash: await hashPassword(body.password) }),
    });
    if (!row) throw notFound(`user ${userId}`);
    // A new password lifts every lock of the name: whoever guessed the old one has nothing left to guess.
    if (body.password !== undefined) await repo.clearLoginAttempts(trx, row.username);
    if (body.password !== undefined || body.disabled === true || body.roles !== undefined) {
      await repo.deleteUserSessions(trx, userId);
      evictSessions(ctx, { userId });
    }
    return toAdminUserOut(row, await repo.activeLocks(trx, [row.username], ctx.now()));
  });
}
