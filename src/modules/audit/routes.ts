import { Type, type Static } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/server.ts';
import { ErrorBody, IsoDate, Line, Page, PageQuery } from '../../platform/http/schemas.ts';
import { FIN_PATTERN } from '../registry/index.ts';
import { searchAudit } from './repository.ts';

const AuditQuery = Type.Object({
  fin: Type.Optional(Type.String({ pattern: FIN_PATTERN })),
  actor: Type.Optional(Line({ maxLength: 64 })),
  action: Type.Optional(Line({ maxLength: 64 })),
  from: Type.Optional(IsoDate()),
  to: Type.Optional(IsoDate()),
  ...PageQuery,
}, { additionalProperties: false });
export type AuditQuery = Static<typeof AuditQuery>;

const AuditOut = Type.Object({
  id: Type.Integer(), at: Type.String(), actorUsername: Type.Union([Type.String(), Type.Null()]), actorRoles: Type.Array(Type.String()),
  action: Type.String(), citizenId: Type.Union([Type.Integer(), Type.Null()]), fin: Type.Union([Type.String(), Type.Null()]),
  resource: Type.String(), purpose: Type.String(), ip: Type.Union([Type.String(), Type.Null()]),
});

/** The administrator's search of the audit log: who read whose data, when and why. */
export function auditRoutes(app: App, ctx: AppContext): void {
  app.get('/api/admin/audit', {
    config: { auth: ['admin'] },
    schema: { tags: ['admin'], summary: 'Search the audit log of personal-data access', querystring: AuditQuery, response: { 200: Page(AuditOut), '4xx': ErrorBody } },
  }, async (req) => {
    const q = req.query;
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { rows, total } = await searchAudit(ctx.db, { ...q, limit: pageSize, offset: (page - 1) * pageSize });
    return {
      items: rows.map((r) => ({
        id: r.audit_id, at: r.at.toISOString(), actorUsername: r.actor_username, actorRoles: r.actor_roles, action: r.action,
        citizenId: r.citizen_id, fin: r.fin, resource: r.resource, purpose: r.purpose, ip: r.ip,
      })),
      page, pageSize, total,
    };
  });
}
