import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { App } from '../../platform/http/server.ts';
import { requireActor } from '../../platform/http/server.ts';
import { requestLocale } from '../../platform/http/errors.ts';
import { ErrorBody, Line } from '../../platform/http/schemas.ts';
import { importCitizens } from './import.ts';
import { CitizenIdParams, CitizenRecord, CitizenSummary, FindCitizenQuery, LifeEventOut, RecordLifeEventBody } from './schema.ts';
import * as service from './service.ts';
import { REGISTRY_READERS } from './service.ts';

const ImportReportOut = Type.Object({
  imported: Type.Integer(), rejected: Type.Integer(), durationMs: Type.Number(),
  errors: Type.Array(Type.Object({ line: Type.Integer(), field: Type.String(), code: Type.String(), message: Type.String() })),
  possibleDuplicates: Type.Integer(),
  warnings: Type.Array(Type.Object({ line: Type.Integer(), field: Type.String(), code: Type.String(), message: Type.String() })),
});

/** Citizen registry: look-up by FIN, full record, life events, CSV import. */
export function registryRoutes(app: App, ctx: AppContext): void {
  app.get('/api/citizens/me', {
    config: { auth: ['citizen'] },
    schema: { tags: ['registry'], summary: 'The signed-in citizen\'s own registry record', response: { 200: CitizenRecord, '4xx': ErrorBody } },
  }, async (req) => service.getOwnRecord(ctx, requireActor(req)));

  app.get('/api/citizens', {
    config: { auth: REGISTRY_READERS },
    schema: { tags: ['registry'], summary: 'Find a citizen by FIN (audited)', querystring: FindCitizenQuery, response: { 200: Type.Object({ items: Type.Array(CitizenSummary) }), '4xx': ErrorBody } },
  }, async (req) => service.findCitizenByFin(ctx, requireActor(req), req.query.fin));

  app.get('/api/citizens/:citizenId', {
    config: { auth: REGISTRY_READERS },
    schema: {
      tags: ['registry'], summary: 'A citizen\'s registry record with household and life events (audited)',
      params: CitizenIdParams,
      querystring: Type.Object({ purpose: Type.Optional(Line({ minLength: 3, maxLength: 200 })) }, { additionalProperties: false }),
      response: { 200: CitizenRecord, '4xx': ErrorBody },
    },
  }, async (req) => service.getCitizenRecord(ctx, requireActor(req), req.params.citizenId, req.query.purpose ?? 'case work'));

  app.post('/api/citizens/:citizenId/life-events', {
    config: { auth: ['officer', 'admin'] },
    schema: { tags: ['registry'], summary: 'Record a life event (append-only)', params: CitizenIdParams, body: RecordLifeEventBody, response: { 201: LifeEventOut, '4xx': ErrorBody } },
  }, async (req, reply) => reply.status(201).send(await service.recordLifeEvent(ctx, requireActor(req), req.params.citizenId, req.body)));

  app.post('/api/admin/import/citizens', {
    config: { auth: ['admin'] },
    schema: {
      tags: ['admin'], summary: 'Import citizens from a CSV file (multipart field "file"); all-or-nothing unless skipInvalid',
      querystring: Type.Object({ skipInvalid: Type.Optional(Type.Boolean({ default: false })) }, { additionalProperties: false }),
      response: { 200: ImportReportOut, '4xx': ErrorBody },
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    const file = await req.file();
    if (!file) throw new AppError('VALIDATION_FAILED', {}, [{ field: 'file', code: 'required', message: 'file' }]);
    const report = await importCitizens(ctx.database, file.file, { skipInvalid: req.query.skipInvalid ?? false, locale: requestLocale(req) });
    if (file.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE');
    await recordAudit(ctx.db, actor, { action: 'citizen.import', citizenId: null, resource: `import:${file.filename}`, purpose: `bulk import: ${report.imported} imported, ${report.rejected} rejected` });
    return report;
  });
}
