import { Type, type Static } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/server.ts';
import { ErrorBody, IsoDate, Line, Page, PageQuery } from '../../platform/http/schemas.ts';
import { FIN_INPUT_PATTERN } from '../registry/index.ts';
import { searchAuditLog, verifyAuditLog } from './service.ts';
import { requireActor } from '../../platform/http/server.ts';

const AuditQuery = Type.Object({
  fin: Type.Optional(Type.String({ pattern: FIN_INPUT_PATTERN, description: 'FIN in any letter case' })),
  actor: Type.Optional(Line({ maxLength: 64 })),
  action: Type.Optional(Line({ maxLength: 64 })),
  from: Type.Optional(IsoDate()),
  to: Type.Optional(IsoDate()),
  ...PageQuery,
}, { additionalProperties: false });
export type AuditQuery = Static<typeof AuditQuery>;

const AuditOut = Type.Object({
  id: Type.Integer(), at: Type.String(), actorUsername: Type.Union([Type.String(), Type.Null()]), actorRoles: Type.Array(Type.String()),
  action: Type.String(), citizenId: Type.Union([Type.Integer(), Type.Null()]), citizenIds: Type.Array(Type.Integer()), fin: Type.Union([Type.String(), Type.Null()]),
  resource: Type.String(), purpose: Type.String(), ip: Type.Union([Type.String(), Type.Null()]),
});

const AuditVerifyOut = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer({ description: 'Rows whose link was checked before the first break (or all of them).' }),
  firstBreak: Type.Union([Type.Null(), Type.Object({
    chain: Type.Integer(), seq: Type.Integer(), auditId: Type.Union([Type.Integer(), Type.Null()]),
    reason: Type.Union([Type.Literal('content'), Type.Literal('link'), Type.Literal('gap'), Type.Literal('head')]),
  })]),
});

/** The administrator's search of the audit log: who read whose data, when and why. */
export function auditRoutes(app: App, ctx: AppContext): void {
  app.get('/api/admin/audit', {
    config: { auth: ['admin'] },
    schema: { tags: ['admin'], summary: 'Search the audit log of personal-data access', querystring: AuditQuery, response: { 200: Page(AuditOut), '4xx': ErrorBody } },
  }, async (req) => searchAuditLog(ctx, requireActor(req), req.query));

  app.get('/api/admin/audit/verify', {
    config: { auth: ['admin'] },
    schema: {
      tags: ['admin'], summary: 'Verify the audit log\'s hash chain',
      response: { 200: AuditVerifyOut, '4xx': ErrorBody },
    },
  }, async () => {
    const r = await verifyAuditLog(ctx);
    return { ok: r.firstBreak === null, checked: r.checked, firstBreak: r.firstBreak };
  });
}
