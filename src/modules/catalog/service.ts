import type { Selectable } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { ServicesTable } from '../../platform/db-types.ts';
import { notFound } from '../../platform/errors.ts';
import type { FormFieldDef } from '../reference/data-files.ts';
import * as repo from './repository.ts';
import type { FieldOut, ListServicesQuery, ServiceDetail, ServiceSummary } from './schema.ts';

type ServiceRow = Selectable<ServicesTable>;
const l = (r: Record<string, unknown>, base: string) => ({ az: String(r[`${base}_az`]), ru: String(r[`${base}_ru`]), en: String(r[`${base}_en`]) });

/** The catalog card of a service. */
export function toServiceSummary(s: ServiceRow): ServiceSummary {
  return {
    code: s.service_code, category: s.category_code, name: l(s, 'name'), description: l(s, 'description'),
    channels: s.channels, proactive: s.proactive, slaWorkingDays: s.sla_working_days, counterMinutes: s.counter_minutes,
    agency: s.agency, feeAzn: Number(s.fee_azn),
  };
}

/** Converts a form field from the data file's snake_case to the API's camelCase. */
export function toFieldOut(f: FormFieldDef): FieldOut {
  const { max_length, ...rest } = f;
  return { ...rest, ...(max_length !== undefined && { maxLength: max_length }) };
}

/** The service passport with its form. */
export function toServiceDetail(s: ServiceRow): ServiceDetail {
  const docs = s.documents as { code: string; name: { az: string; ru: string; en: string }; from_registry: boolean }[];
  return {
    ...toServiceSummary(s),
    legalBasis: s.legal_basis,
    documents: docs.map((d) => ({ code: d.code, name: d.name, fromRegistry: d.from_registry })),
    form: { fields: (s.form.fields as FormFieldDef[]).map(toFieldOut) },
  };
}

/** Categories with counts. */
export async function listCategories(ctx: AppContext) {
  const rows = await repo.listCategories(ctx.db);
  return { items: rows.map((c) => ({ code: c.category_code, name: l(c, 'name'), sort: c.sort, serviceCount: Number(c.service_count ?? 0) })) };
}

/** A page of the catalog. */
export async function listServices(ctx: AppContext, q: ListServicesQuery) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { rows, total } = await repo.listServices(ctx.db, { ...q, limit: pageSize, offset: (page - 1) * pageSize });
  return { items: rows.map(toServiceSummary), page, pageSize, total };
}

// The catalog changes only when the reference data is reloaded at start, so every process keeps
// it in memory: a submission should not pay a round trip to read a service passport.
const serviceCache = new WeakMap<object, Promise<Map<string, ServiceRow>>>();

/** A service row by code, or NOT_FOUND (served from the per-process catalog cache). */
export async function getServiceRow(ctx: AppContext, code: string): Promise<ServiceRow> {
  let cached = serviceCache.get(ctx.database);
  if (!cached) {
    const loading = repo.listAllServices(ctx.database.db).then((rows) => new Map(rows.map((r) => [r.service_code, r])));
    serviceCache.set(ctx.database, (cached = loading));
    // A failed read (the database was away) is not kept: the next request reads again.
    loading.catch(() => { if (serviceCache.get(ctx.database) === loading) serviceCache.delete(ctx.database); });
  }
  const s = (await cached).get(code);
  if (!s) throw notFound(`service ${code}`);
  return s;
}

/** The service passport, or NOT_FOUND. */
export async function getService(ctx: AppContext, code: string): Promise<ServiceDetail> {
  return toServiceDetail(await getServiceRow(ctx, code));
}

/** Regions and districts. */
export async function listRegions(ctx: AppContext) {
  const { regions, districts } = await repo.listRegions(ctx.db);
  return {
    items: regions.map((r) => ({
      code: r.region_code, name: l(r, 'name'), populationSharePct: Number(r.population_share_pct),
      districts: districts.filter((d) => d.region_code === r.region_code)
        .map((d) => ({ code: d.district_code, name: l(d, 'name'), kind: d.kind, population: d.population })),
    })),
  };
}

/** The DOST network of centers, branches and points. */
export async function listCenters(ctx: AppContext) {
  const rows = await repo.listCenters(ctx.db);
  return {
    items: rows.map((c) => ({
      code: c.center_code, kind: c.kind, name: l(c, 'name'), address: l(c, 'address'), districtCode: c.district_code,
      servesDistricts: c.serves_districts, status: c.status, windows: c.windows, openedOn: c.opened_on, confirmed: c.confirmed,
    })),
  };
}
