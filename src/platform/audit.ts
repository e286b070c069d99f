import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { Actor } from './context.ts';

/**
 * One request's access to personal data: one row naming every citizen it touched. `citizenId`
 * for a request about one person, `citizenIds` for one that touched several (an inbox page, a
 * search); either may be empty for an access that names nobody (a bulk import, a what-if).
 */
export interface AuditEntry {
  action: string;
  citizenId?: number | null;
  citizenIds?: readonly number[];
  resource: string;
  purpose: string;
}

/**
 * Records that the actor read or changed personal data: one row per request, in the same
 * transaction as the access, so there is no access without its row. The database links the row
 * into its hash chain (trigger `audit_log_chain`, migration 0017).
 */
export async function recordAudit(db: Db, actor: Actor | null, e: AuditEntry): Promise<void> {
  const ids = [...new Set([...(e.citizenId != null ? [e.citizenId] : []), ...(e.citizenIds ?? [])])];
  await db
    .insertInto('audit_log')
    .values({
      actor_user_id: actor?.userId ?? null,
      actor_username: actor?.username ?? 'system',
      actor_roles: actor?.roles ?? [],
      action: e.action,
      citizen_id: ids.length === 1 ? ids[0]! : null,
      citizen_ids: ids,
      resource: e.resource,
      purpose: e.purpose,
      request_id: actor?.requestId ?? null,
      ip: actor?.ip ?? null,
    })
    .execute();
}

/** A link of the chain that does not hold. */
export interface AuditBreak {
  chain: number;
  seq: number;
  auditId: number | null;
  reason: 'content' | 'link' | 'gap' | 'head';
}

/**
 * Walks the audit log's hash chains in (chain, seq) order, in batches, recomputing each row's
 * hash in the database (the same `audit_log_content` the trigger hashes) and checking that it
 * links to the row before it and that each chain reaches its recorded head. Returns the first
 * break, or null when every chain holds. Rows added while it runs (beyond the heads read at its
 * start) are left for the next run.
 */
export async function verifyAuditChain(
  db: Db,
  opts: { batchSize?: number; onProgress?: (checked: number, total: number) => void } = {},
): Promise<{ checked: number; firstBreak: AuditBreak | null }> {
  const batch = opts.batchSize ?? 10_000;
  const heads = await db.selectFrom('audit_chain_head').select(['chain', 'seq', 'hash']).orderBy('chain').execute();
  const total = heads.reduce((n, h) => n + Number(h.seq), 0);
  let checked = 0;
  for (const head of heads) {
    const chain = Number(head.chain);
    const last = Number(head.seq);
    let prevSeq = 0;
    let prevHash = Buffer.alloc(32);
    while (prevSeq < last) {
      const rows = (await sql<{ seq: number; audit_id: number; prev_hash: Buffer; hash: Buffer; ok: boolean }>`
        select a.seq, a.audit_id, a.prev_hash, a.hash, sha256(a.prev_hash || audit_log_content(a)) = a.hash as ok
        from audit_log a where a.chain = ${chain} and a.seq > ${prevSeq} and a.seq <= ${last} order by a.seq limit ${batch}`.execute(db)).rows;
      for (const r of rows) {
        const seq = Number(r.seq);
        const at = (reason: AuditBreak['reason']) => ({ checked, firstBreak: { chain, seq, auditId: Number(r.audit_id), reason } });
        if (seq !== prevSeq + 1) return at('gap');
        if (!Buffer.from(r.prev_hash).equals(prevHash)) return at('link');
        if (!r.ok) return at('content');
        prevSeq = seq;
        prevHash = Buffer.from(r.hash);
        checked++;
      }
      opts.onProgress?.(checked, total);
      if (rows.length < batch) break;
    }
    if (prevSeq !== last || !prevHash.equals(Buffer.from(head.hash))) {
      return { checked, firstBreak: { chain, seq: prevSeq + 1, auditId: null, reason: 'head' } };
    }
  }
  opts.onProgress?.(checked, total);
  return { checked, firstBreak: null };
}
