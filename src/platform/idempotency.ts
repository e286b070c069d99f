import { createHash } from 'node:crypto';
import type { Db } from './db.ts';
import { AppError } from './errors.ts';

/** A stored or fresh response to a creating request. */
export interface IdempotentResult<T> {
  statusCode: number;
  body: T;
  replayed: boolean;
}

const stableJson = (v: unknown): string =>
  JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : val,
  );

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/**
 * Runs `create` at most once per (scope, key): the first call's response is stored in the same
 * transaction as the change, and a retry with the same key and body gets that response back.
 * A retry with another body is refused. Two concurrent first calls race on the primary key;
 * the loser's transaction rolls back and it returns the winner's response.
 */
export async function runIdempotent<T>(
  db: Db,
  scope: string,
  key: string,
  request: unknown,
  create: (trx: Db) => Promise<{ statusCode: number; body: T }>,
): Promise<IdempotentResult<T>> {
  const hash = createHash('sha256').update(stableJson(request)).digest('hex');
  const lookup = async () => {
    const row = await db.selectFrom('idempotency_keys').select(['request_hash', 'status_code', 'response'])
      .where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    if (!row) return undefined;
    if (row.request_hash !== hash) throw new AppError('IDEMPOTENCY_MISMATCH');
    return { statusCode: row.status_code, body: row.response as T, replayed: true };
  };
  const existing = await lookup();
  if (existing) return existing;
  try {
    return await db.transaction().execute(async (trx) => {
      const result = await create(trx);
      await trx.insertInto('idempotency_keys')
        .values({ scope, key, request_hash: hash, status_code: result.statusCode, response: JSON.stringify(result.body) })
        .execute();
      return { ...result, replayed: false };
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      const winner = await lookup();
      if (winner) return winner;
    }
    throw e;
  }
}
