import { recordAudit, verifyAuditChain } from '../../platform/audit.ts';
import { normalizeFin } from '../registry/index.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { searchAudit } from './repository.ts';
import type { AuditQuery } from './routes.ts';

/**
 * The administrator's search of the audit log. The search itself reads personal data (who was
 * read, FINs), so it is audited too: one row naming every citizen on the page.
 */
export async function searchAuditLog(ctx: AppContext, actor: Actor, query: AuditQuery) {
  const q = { ...query, fin: query.fin === undefined ? undefined : normalizeFin(query.fin) };
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  return ctx.db.transaction().execute(async (trx) => {
    const { rows, total } = await searchAudit(trx, { ...q, limit: pageSize, offset: (page - 1) * pageSize });
    const touched = [...new Set(rows.flatMap((r) => r.citizen_ids))];
    const filters = Object.entries({ fin: q.fin ? `${q.fin.slice(0, 1)}******` : undefined, actor: q.actor, action: q.action, from: q.from, to: q.to })
      .filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join('&');
    await recordAudit(trx, actor, { action: 'audit.search', citizenIds: touched, resource: `admin/audit${filters ? `?${filters}` : ''}`, purpose: 'audit review' });
    return {
      items: rows.map((r) => ({
        id: r.audit_id, at: r.at.toISOString(), actorUsername: r.actor_username, actorRoles: r.actor_roles, action: r.action,
        citizenId: r.citizen_id, citizenIds: r.citizen_ids, fin: r.fin, resource: r.resource, purpose: r.purpose, ip: r.ip,
      })),
      page, pageSize, total,
    };
  });
}

/** Walks the hash chain; the first row that does not hold, or null. */
export async function verifyAuditLog(ctx: AppContext) {
  return verifyAuditChain(ctx.db);
}
