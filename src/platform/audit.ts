import type { Db } from './db.ts';
import type { Actor } from './context.ts';

/** One access to personal data. */
export interface AuditEntry {
  action: string;
  citizenId: number | null;
  resource: string;
  purpose: string;
}

/**
 * Records that the actor read or changed a citizen's personal data. Called by services in the
 * same transaction as the read, so there is no read without its audit row.
 */
export async function recordAudit(db: Db, actor: Actor | null, entry: AuditEntry | AuditEntry[]): Promise<void> {
  const entries = Array.isArray(entry) ? entry : [entry];
  if (entries.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(entries.map((e) => ({
      actor_user_id: actor?.userId ?? null,
      actor_username: actor?.username ?? 'system',
      actor_roles: actor?.roles ?? [],
      action: e.action,
      citizen_id: e.citizenId,
      resource: e.resource,
      purpose: e.purpose,
      request_id: actor?.requestId ?? null,
      ip: actor?.ip ?? null,
    })))
    .execute();
}
