import { Type, type Static } from 'typebox';
import { L, Line, PageQuery } from '../../platform/http/schemas.ts';
import { CHANNELS, FIELD_TYPES, PREFILL_KEYS } from '../reference/data-files.ts';

export const ChannelSchema = Type.Enum(CHANNELS);

export const CategoryOut = Type.Object({ code: Type.String(), name: L, sort: Type.Integer(), serviceCount: Type.Integer() });

export const ServiceSummary = Type.Object({
  code: Type.String(),
  category: Type.String(),
  name: L,
  description: L,
  channels: Type.Array(Type.String()),
  proactive: Type.Boolean(),
  slaWorkingDays: Type.Integer(),
  counterMinutes: Type.Integer(),
  agency: Type.String(),
  feeAzn: Type.Number(),
});
export type ServiceSummary = Static<typeof ServiceSummary>;

export const FieldOut = Type.Object({
  name: Type.String(),
  type: Type.Enum(FIELD_TYPES),
  label: L,
  required: Type.Boolean(),
  prefill: Type.Optional(Type.Enum(PREFILL_KEYS)),
  options: Type.Optional(Type.Array(Type.Object({ value: Type.String(), label: L }))),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  maxLength: Type.Optional(Type.Integer()),
  help: Type.Optional(L),
});
export type FieldOut = Static<typeof FieldOut>;

export const ServiceDetail = Type.Intersect([
  ServiceSummary,
  Type.Object({
    legalBasis: Type.String(),
    documents: Type.Array(Type.Object({ code: Type.String(), name: L, fromRegistry: Type.Boolean() })),
    form: Type.Object({ fields: Type.Array(FieldOut) }),
  }),
]);
export type ServiceDetail = Static<typeof ServiceDetail>;

export const ListServicesQuery = Type.Object(
  {
    q: Type.Optional(Line({ maxLength: 100 })),
    category: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' })),
    channel: Type.Optional(ChannelSchema),
    sort: Type.Optional(Type.Enum(['code', 'name', '-name', 'slaWorkingDays'])),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ListServicesQuery = Static<typeof ListServicesQuery>;

export const ServiceCodeParams = Type.Object({ code: Type.String({ pattern: '^\\d{2}-\\d{2}-\\d{2}-\\d{2}$' }) });

export const RegionOut = Type.Object({
  code: Type.String(), name: L, populationSharePct: Type.Number(),
  districts: Type.Array(Type.Object({ code: Type.String(), name: L, kind: Type.String(), population: Type.Integer() })),
});

export const CenterOut = Type.Object({
  code: Type.String(), kind: Type.String(), name: L, address: L, districtCode: Type.String(),
  servesDistricts: Type.Array(Type.String()), status: Type.String(), windows: Type.Integer(),
  openedOn: Type.Union([Type.String(), Type.Null()]), confirmed: Type.Boolean(),
});
