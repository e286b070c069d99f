import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../platform/paths.ts';
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';

/** Folder of the reference data files (catalog, geography, centers, calendar, parameters). */
export const DATA_DIR = path.join(PROJECT_ROOT, 'data');

const L = Type.Object({ az: Type.String({ minLength: 1 }), ru: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) });

const Meta = Type.Object({
  title: Type.String(),
  description: Type.String(),
  sources: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), url: Type.Optional(Type.String()) }), { minItems: 1 }),
  effective_from: Type.String({ format: 'date' }),
  effective_to: Type.Optional(Type.String({ format: 'date' })),
  notes: Type.Optional(Type.Array(Type.String())),
});

export const RegionsFile = Type.Object({
  meta: Meta,
  regions: Type.Array(
    Type.Object({
      code: Type.String({ pattern: '^R\\d{2}$' }),
      name: L,
      population_share_pct: Type.Number({ minimum: 0, maximum: 100 }),
      districts: Type.Array(
        Type.Object({
          code: Type.String({ pattern: '^[A-Z0-9-]{3,20}$' }),
          name: L,
          kind: Type.Union([Type.Literal('city'), Type.Literal('district'), Type.Literal('city_district')]),
          population: Type.Integer({ minimum: 0 }),
          postal_prefix: Type.Optional(Type.String()),
        }),
        { minItems: 1 },
      ),
    }),
    { minItems: 14, maxItems: 14 },
  ),
});

export const CentersFile = Type.Object({
  meta: Meta,
  centers: Type.Array(
    Type.Object({
      code: Type.String({ pattern: '^[A-Z0-9-]{2,30}$' }),
      kind: Type.Enum(['center', 'branch', 'smart_dost', 'point', 'mobile']),
      name: L,
      address: L,
      district_code: Type.String(),
      serves_districts: Type.Array(Type.String()),
      opened_on: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
      status: Type.Union([Type.Literal('open'), Type.Literal('under_construction'), Type.Literal('closed')]),
      hours: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
      capacity_per_day: Type.Optional(Type.Integer({ minimum: 0 })),
      windows: Type.Integer({ minimum: 0 }),
      confidence: Type.Union([Type.Literal('confirmed'), Type.Literal('unconfirmed')]),
    }, { additionalProperties: true }),
  ),
});

export const HolidaysFile = Type.Object({
  meta: Meta,
  holidays: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), name: L, kind: Type.String() })),
  weekend_days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 })),
  working_saturdays: Type.Optional(Type.Array(Type.String({ format: 'date' }))),
});

export const CategoriesFile = Type.Object({
  meta: Meta,
  categories: Type.Array(Type.Object({ code: Type.String({ pattern: '^[A-Z_]+$' }), name: L, sort: Type.Integer() })),
});

export const FIELD_TYPES = ['text', 'textarea', 'number', 'money', 'date', 'select', 'boolean', 'fin', 'phone', 'email'] as const;
export const PREFILL_KEYS = ['citizen.fin', 'citizen.full_name', 'citizen.birth_date', 'citizen.phone', 'citizen.address_district',
  'citizen.id_card_number', 'household.size'] as const;

export const FormField = Type.Object({
  name: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
  type: Type.Enum(FIELD_TYPES),
  label: L,
  required: Type.Boolean(),
  prefill: Type.Optional(Type.Enum(PREFILL_KEYS)),
  options: Type.Optional(Type.Array(Type.Object({ value: Type.String(), label: L }), { minItems: 1 })),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  max_length: Type.Optional(Type.Integer({ minimum: 1 })),
  help: Type.Optional(L),
});
export type FormFieldDef = Static<typeof FormField>;

export const CHANNELS = ['center', 'online', 'call_center', 'proactive'] as const;

export const ServicesFile = Type.Object({
  meta: Meta,
  services: Type.Array(
    Type.Object({
      code: Type.String({ pattern: '^\\d{2}-\\d{2}-\\d{2}-\\d{2}$' }),
      code_confidence: Type.Optional(Type.Literal('unconfirmed')),
      category: Type.String(),
      name: L,
      description: L,
      channels: Type.Array(Type.Enum(CHANNELS), { minItems: 1 }),
      proactive: Type.Boolean(),
      /** The benefit rule this service applies for (an id in src/rules/benefits.ts), when it is one. */
      benefit: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{2,63}$' })),
      legal_basis: Type.String({ minLength: 1 }),
      documents: Type.Array(Type.Object({ code: Type.String(), name: L, from_registry: Type.Boolean() })),
      sla_working_days: Type.Integer({ minimum: 0, maximum: 365 }),
      counter_minutes: Type.Integer({ minimum: 0, maximum: 240 }),
      agency: Type.String({ minLength: 2 }),
      fee_azn: Type.Number({ minimum: 0 }),
      form: Type.Object({ fields: Type.Array(FormField) }),
      source_ids: Type.Optional(Type.Array(Type.String())),
    }),
    { minItems: 1 },
  ),
});

/** A reference data file that does not match its schema: names the file, the path and the problem. */
export class DataFileError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` (+${problems.length - 10} more)` : ''}`);
  }
}

/** Reads and validates one JSON data file against its schema. */
export async function readDataFile<S extends TSchema>(relPath: string, schema: S, dir = DATA_DIR): Promise<Static<S>> {
  const file = path.join(dir, relPath);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new DataFileError(relPath, [(e as Error).message]);
  }
  const errors = [...Value.Errors(schema, parsed)];
  if (errors.length > 0) throw new DataFileError(relPath, errors.map((e) => `${e.instancePath || '/'} ${e.message}`));
  return parsed as Static<S>;
}

/** All reference data, validated, with cross-file checks (every code referenced exists). */
export async function readReferenceData(dir = DATA_DIR) {
  const [regions, centers, holidays, categories, services] = await Promise.all([
    readDataFile('geo/regions.json', RegionsFile, dir),
    readDataFile('centers/centers.json', CentersFile, dir),
    readDataFile('calendar/holidays-az.json', HolidaysFile, dir),
    readDataFile('catalog/categories.json', CategoriesFile, dir),
    readDataFile('catalog/services.json', ServicesFile, dir),
  ]);
  const districtCodes = new Set(regions.regions.flatMap((r) => r.districts.map((d) => d.code)));
  const categoryCodes = new Set(categories.categories.map((c) => c.code));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, s] of services.services.entries()) {
    if (!categoryCodes.has(s.category)) problems.push(`catalog/services.json /services/${i}/category: unknown category ${s.category}`);
    if (seen.has(s.code)) problems.push(`catalog/services.json /services/${i}/code: duplicate ${s.code}`);
    seen.add(s.code);
    const names = new Set<string>();
    for (const [j, f] of s.form.fields.entries()) {
      if (names.has(f.name)) problems.push(`catalog/services.json /services/${i}/form/fields/${j}/name: duplicate ${f.name}`);
      names.add(f.name);
      if (f.type === 'select' && !f.options) problems.push(`catalog/services.json /services/${i}/form/fields/${j}: select without options`);
    }
  }
  for (const [i, c] of centers.centers.entries()) {
    for (const d of [c.district_code, ...c.serves_districts]) {
      if (!districtCodes.has(d)) problems.push(`centers/centers.json /centers/${i}: unknown district ${d}`);
    }
  }
  if (problems.length > 0) throw new DataFileError('reference data', problems);
  return { regions, centers, holidays, categories, services };
}
export type ReferenceData = Awaited<ReturnType<typeof readReferenceData>>;
