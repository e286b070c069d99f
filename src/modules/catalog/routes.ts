import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/server.ts';
import { requireActor } from '../../platform/http/server.ts';
import { ErrorBody, Id, Page } from '../../platform/http/schemas.ts';
import { getPrefillValues } from '../registry/index.ts';
import { CategoryOut, CenterOut, ListServicesQuery, RegionOut, ServiceCodeParams, ServiceDetail, ServiceSummary } from './schema.ts';
import * as service from './service.ts';

/** The public catalog and reference data, and form prefill from the registry. */
export function catalogRoutes(app: App, ctx: AppContext): void {
  app.get('/api/catalog/categories', {
    config: { auth: 'public' },
    schema: { tags: ['catalog'], summary: 'Service categories with counts', response: { 200: Type.Object({ items: Type.Array(CategoryOut) }) } },
  }, async () => service.listCategories(ctx));

  app.get('/api/catalog/services', {
    config: { auth: 'public' },
    schema: { tags: ['catalog'], summary: 'Search the service catalog', querystring: ListServicesQuery, response: { 200: Page(ServiceSummary), '4xx': ErrorBody } },
  }, async (req) => service.listServices(ctx, req.query));

  app.get('/api/catalog/services/:code', {
    config: { auth: 'public' },
    schema: { tags: ['catalog'], summary: 'A service passport with its form', params: ServiceCodeParams, response: { 200: ServiceDetail, '4xx': ErrorBody } },
  }, async (req) => service.getService(ctx, req.params.code));

  app.get('/api/catalog/services/:code/prefill', {
    config: { auth: ['citizen', 'operator', 'call_center_agent'] },
    schema: {
      tags: ['catalog'], summary: 'Values the registry already holds for this service\'s form (audited)',
      params: ServiceCodeParams,
      querystring: Type.Object({ citizenId: Type.Optional(Id()) }, { additionalProperties: false }),
      response: { 200: Type.Object({ values: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])) }), '4xx': ErrorBody },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const citizenId = req.query.citizenId ?? actor.citizenId;
    if (citizenId == null) throw new AppError('VALIDATION_FAILED', {}, [{ field: '/citizenId', code: 'required', message: 'citizenId' }]);
    const detail = await service.getService(ctx, req.params.code);
    const fields = detail.form.fields.flatMap((f) => (f.prefill ? [{ name: f.name, key: f.prefill }] : []));
    const out = await getPrefillValues(ctx.db, actor, citizenId, fields);
    return { values: out };
  });

  app.get('/api/reference/regions', {
    config: { auth: 'public' },
    schema: { tags: ['reference'], summary: 'Economic regions and districts', response: { 200: Type.Object({ items: Type.Array(RegionOut) }) } },
  }, async () => service.listRegions(ctx));

  app.get('/api/reference/centers', {
    config: { auth: 'public' },
    schema: { tags: ['reference'], summary: 'DOST centers, branches and points', response: { 200: Type.Object({ items: Type.Array(CenterOut) }) } },
  }, async () => service.listCenters(ctx));
}
