import { createHash } from 'node:crypto';
import type { Db } from './db.ts';
import { AppError } from './errors.ts';

const stableJson = (v: unknown): string =>
  JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : val,
  );

/** True for a unique-key violation (a concurrent or repeated create). */
export const isUniqueViolation = (e: unknown, constraint?: string) =>
  (e as { code?: string }).code === '23505' && (!constraint || (e as { constraint?: string }).constraint === constraint);

/** SHA-256 of a request body in a key-order-independent form. */
export const requestHash = (request: unknown): string => createHash('sha256').update(stableJson(request)).digest('hex');

/**
 * The stored response for (scope, key): undefined if none, IDEMPOTENCY_MISMATCH if it was made
 * for another request body.
 */
export async function findStoredResponse<T>(db: Db, scope: string, key: string, hash: string): Promise<{ statusCode: number; body: T } | undefined> {
  const row = await db.selectFrom('idempotency_keys').select(['request_hash', 'status_code', 'response'])
    .where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== hash) throw new AppError('IDEMPOTENCY_MISMATCH');
  return { statusCode: row.status_code, body: row.response as T };
}
