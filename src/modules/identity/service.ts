import { createHash, randomBytes } from 'node:crypto';
import type { Actor, AppContext, Role } from '../../platform/context.ts';
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

function toAdminUserOut(u: repo.UserRow): AdminUserOut {
  return { ...toUserOut(u), disabled: u.disabled, lockedUntil: u.locked_until ? u.locked_until.toISOString() : null, createdAt: u.created_at.toISOString() };
}

/** A new session's secrets: the token goes to the client, only its hash is stored. */
export interface IssuedSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: UserOut;
}

/**
 * Checks a username and password. Failed attempts are counted; after `loginMaxAttempts` the
 * account is locked for `loginLockMinutes`. The same error is given for an unknown user and a
 * wrong password, after the same amount of hashing work.
 */
export async function authenticate(ctx: AppContext, username: string, password: string): Promise<repo.UserRow> {
  const now = ctx.now();
  const user = await repo.findUserByUsername(ctx.db, username.trim().toLowerCase());
  if (!user || !user.password_hash || user.disabled) {
    await verifyPassword(await dummyHash(), password);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (user.locked_until && user.locked_until > now) {
    throw new AppError('ACCOUNT_LOCKED', { minutes: Math.ceil((user.locked_until.getTime() - now.getTime()) / 60_000) });
  }
  if (!(await verifyPassword(user.password_hash, password))) {
    const lockUntil = new Date(now.getTime() + ctx.config.loginLockMinutes * 60_000);
    const r = await repo.recordFailedLogin(ctx.db, user.user_id, ctx.config.loginMaxAttempts, lockUntil);
    if (r.locked_until && r.locked_until > now) throw new AppError('ACCOUNT_LOCKED', { minutes: ctx.config.loginLockMinutes });
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (user.failed_attempts > 0 || user.locked_until) await repo.clearFailedLogins(ctx.db, user.user_id);
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
  return { items: rows.map(toAdminUserOut), page, pageSize, total };
}

async function checkCenter(ctx: AppContext, centerCode: string | null | undefined) {
  if (!centerCode) return;
  const c = await ctx.db.selectFrom('centers').select('center_code').where('center_code', '=', centerCode).executeTakeFirst();
  if (!c) throw new AppError('VALIDATION_FAILED', {}, [{ field: '/centerCode', code: 'unknown', message: `unknown center ${centerCode}` }]);
}

/** Admin: creates a user with an argon2id password. */
export async function createUser(ctx: AppContext, body: CreateUserBody): Promise<AdminUserOut> {
  await checkCenter(ctx, body.centerCode);
  if (await repo.findUserByUsername(ctx.db, body.username)) throw new AppError('CONFLICT', { what: `username ${body.username}` });
  if (body.citizenId != null) {
    const c = await ctx.db.selectFrom('citizens').select('citizen_id').where('citizen_id', '=', body.citizenId).executeTakeFirst();
    if (!c) throw new AppError('VALIDATION_FAILED', {}, [{ field: '/citizenId', code: 'unknown', message: 'unknown citizen' }]);
  }
  try {
    const row = await repo.insertUser(ctx.db, {
      username: body.username, display_name: body.displayName, password_hash: await hashPassword(body.password),
      roles: body.roles, center_code: body.centerCode ?? null, citizen_id: body.citizenId ?? null, locale: body.locale ?? 'az',
    });
    return toAdminUserOut(row);
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
      ...(body.password !== undefined && { password_hash: await hashPassword(body.password), failed_attempts: 0, locked_until: null }),
    });
    if (!row) throw notFound(`user ${userId}`);
    if (body.password !== undefined || body.disabled === true || body.roles !== undefined) {
      await repo.deleteUserSessions(trx, userId);
      evictSessions(ctx, { userId });
    }
    return toAdminUserOut(row);
  });
}
