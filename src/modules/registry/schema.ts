import { Type, type Static } from 'typebox';
import { FIN_INPUT_PATTERN, ID_CARD_PATTERN, PHONE_PATTERN } from './identifiers.ts';
import type { PREFILL_KEYS } from '../reference/data-files.ts';
import { Id, Int, IsoDate as Day, Line, Num } from '../../platform/http/schemas.ts';

/** Registry facts a form field may be prefilled from. */
export type PrefillKey = (typeof PREFILL_KEYS)[number];

export const Fin = Type.String({ pattern: FIN_INPUT_PATTERN, description: 'FIN: 7 characters from [0-9A-HJ-NP-Z], in any letter case' });
/** A calendar date (the one shared type). */
export const IsoDate = Day();

export const LIFE_EVENT_TYPES = ['birth', 'death', 'marriage', 'divorce', 'disability_assessment', 'employment_start',
  'employment_end', 'insurance_record', 'jobseeker_registration'] as const;
export type LifeEventType = (typeof LIFE_EVENT_TYPES)[number];

const Money = Num({ minimum: 0, maximum: 1_000_000 });
const Text = (max = 200) => Line({ minLength: 1, maxLength: max });

/**
 * The facts each life-event type carries. One schema per type: the API validates against it,
 * the rules engine reads it, and the generator writes it.
 */
export const LifeEventData = {
  birth: Type.Object({ motherCitizenId: Type.Optional(Id()), fatherCitizenId: Type.Optional(Id()), stillbirth: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
  death: Type.Object({ certificateNumber: Type.Optional(Text(40)) }, { additionalProperties: false }),
  marriage: Type.Object({ spouseCitizenId: Type.Optional(Id()) }, { additionalProperties: false }),
  divorce: Type.Object({ spouseCitizenId: Type.Optional(Id()) }, { additionalProperties: false }),
  disability_assessment: Type.Object({
    // Follows from percent by the law's bands (data/registry/event-checks.json); null or absent
    // under 31 %, so a re-assessment can end a disability allowance.
    degree: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Null()])),
    percent: Int({ minimum: 0, maximum: 100 }),
    underEighteen: Type.Optional(Type.Boolean()),
    reviewOn: Type.Optional(IsoDate),
    assessedBy: Type.Optional(Text(40)),
  }, { additionalProperties: false }),
  employment_start: Type.Object({ employer: Text(), employerVoen: Type.Optional(Type.String({ pattern: '^\\d{10}$' })), wageAzn: Money, fixedTerm: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
  employment_end: Type.Object({
    employer: Text(),
    reason: Type.Enum(['liquidation', 'staff_cut', 'fixed_term_end', 'resignation', 'dismissal', 'retirement', 'other']),
    averageWageAzn: Type.Optional(Money),
  }, { additionalProperties: false }),
  insurance_record: Type.Object({ months: Int({ minimum: 0, maximum: 1200 }), pensionCapitalAzn: Type.Optional(Money), asOf: Type.Optional(IsoDate) }, { additionalProperties: false }),
  jobseeker_registration: Type.Object({ office: Type.Optional(Text(100)), unemployedStatus: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
} as const;

export const RecordLifeEventBody = Type.Object({
  type: Type.Enum(LIFE_EVENT_TYPES),
  occurredOn: IsoDate,
  source: Line({ minLength: 2, maxLength: 100 }),
  data: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }), Type.Unknown(), { maxProperties: 20 }),
}, { additionalProperties: false });
export type RecordLifeEventBody = Static<typeof RecordLifeEventBody>;

export const CitizenSummary = Type.Object({
  id: Type.Integer(), fin: Type.String(), lastName: Type.String(), firstName: Type.String(),
  patronymic: Type.Union([Type.String(), Type.Null()]), birthDate: Type.String(), sex: Type.String(),
  districtCode: Type.String(), deathDate: Type.Union([Type.String(), Type.Null()]),
});
export type CitizenSummary = Static<typeof CitizenSummary>;

export const LifeEventOut = Type.Object({
  id: Type.Integer(), type: Type.String(), occurredOn: Type.String(), recordedAt: Type.String(), source: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
});

export const CitizenRecord = Type.Intersect([
  CitizenSummary,
  Type.Object({
    address: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    idCardNumber: Type.Union([Type.String(), Type.Null()]),
    household: Type.Union([
      Type.Object({
        id: Type.Integer(),
        members: Type.Array(Type.Object({ citizenId: Type.Integer(), fin: Type.String(), name: Type.String(), relation: Type.String(), birthDate: Type.String() })),
      }),
      Type.Null(),
    ]),
    lifeEvents: Type.Array(LifeEventOut),
  }),
]);
export type CitizenRecord = Static<typeof CitizenRecord>;

export const FindCitizenQuery = Type.Object({ fin: Fin }, { additionalProperties: false });
export const CitizenIdParams = Type.Object({ citizenId: Id() });
