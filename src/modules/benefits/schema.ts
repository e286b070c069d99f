import { Type, type Static } from 'typebox';
import { Id, IsoDate, Num } from '../../platform/http/schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const UsedParameters = Type.Record(Type.String(), Type.Object({ value: Nullable(Type.Number()), from: Nullable(Type.String()) }));

export const OfferOut = Type.Object({
  id: Type.Integer(), benefit: Type.String(), name: Type.String(), status: Type.String(), amountAzn: Type.Number(),
  periodFrom: Type.String(), periodTo: Nullable(Type.String()), ruleVersion: Type.Integer(), legalBasis: Type.String(), reason: Type.String(),
  parameters: UsedParameters,
});

export const AssignmentOut = Type.Object({
  id: Type.Integer(), benefit: Type.String(), name: Type.String(), status: Type.String(), payment: Type.String(), amountAzn: Type.Number(),
  periodFrom: Type.String(), periodTo: Nullable(Type.String()), ruleVersion: Type.Integer(), legalBasis: Type.String(), reason: Type.String(),
  endedReason: Nullable(Type.String()), parameters: UsedParameters,
});

export const MyBenefitsOut = Type.Object({ offers: Type.Array(OfferOut), assignments: Type.Array(AssignmentOut) });

export const OfferParams = Type.Object({ id: Id() });
export const ConsentOut = Type.Object({ offerId: Type.Integer(), assignmentId: Type.Integer(), status: Type.Literal('accepted') });

export const ExplainQuery = Type.Object({
  citizenId: Id(),
  benefit: Type.String({ pattern: '^[a-z][a-z0-9_]{1,60}$' }),
}, { additionalProperties: false });

const ParameterSource = Type.Object({ id: Type.String(), title: Type.String(), url: Type.Optional(Type.String()) });
const UsedParameter = Type.Object({ name: Type.String(), value: Nullable(Type.Number()), from: Nullable(Type.String()), unconfirmed: Type.Boolean(), sources: Type.Array(ParameterSource) });

export const ExplainOut = Type.Object({
  citizenId: Type.Integer(), benefit: Type.String(), ruleVersion: Type.Integer(), name: Type.String(), legalBasis: Type.String(), date: Type.String(),
  payment: Type.Enum(['one_off', 'monthly']),
  subjects: Type.Array(Type.Object({
    subjectKey: Type.String(), outcome: Type.Enum(['eligible', 'not_eligible', 'cannot_decide']), amountAzn: Nullable(Type.Number()), evalDate: Type.String(),
    periodFrom: Nullable(Type.String()), periodTo: Nullable(Type.String()), missing: Type.Array(Type.String()),
    trace: Type.Array(Type.Object({
      condition: Type.String(), result: Nullable(Type.Boolean()), facts: Type.Record(Type.String(), Nullable(Type.String())),
      parameters: Type.Array(UsedParameter), legal: Type.String(), explanation: Type.String(),
    })),
    amount: Nullable(Type.Object({
      amountAzn: Nullable(Type.Number()), facts: Type.Record(Type.String(), Nullable(Type.String())),
      parameters: Type.Array(UsedParameter), legal: Type.String(), explanation: Type.String(),
    })),
  })),
});

export const RulesOut = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(), legalBasis: Type.String(), consent: Type.String(), payment: Type.String(), subject: Type.String(), triggers: Type.Array(Type.String()),
    versions: Type.Array(Type.Object({
      version: Type.Integer(), effectiveFrom: Type.String(), effectiveTo: Nullable(Type.String()),
      conditions: Type.Array(Type.Object({ id: Type.String(), legal: Type.String(), explanation: Type.String() })),
      parameters: Type.Array(Type.Object({
        name: Type.String(), unit: Type.String(), description: Type.String(),
        values: Type.Array(Type.Object({ from: Type.String(), value: Type.Number(), unconfirmed: Type.Boolean() })),
      })),
    })),
  })),
});

export const SimulateBody = Type.Object({
  parameter: Type.String({ pattern: '^[a-z][a-z0-9_]{1,60}$' }),
  value: Num({ minimum: 0, maximum: 1_000_000 }),
  from: IsoDate(),
}, { additionalProperties: false });
export type SimulateBody = Static<typeof SimulateBody>;

const Counts = { gainers: Type.Integer(), losers: Type.Integer(), costChangeAzn: Type.Number() };
export const SimulateOut = Type.Object({
  parameter: Type.String(), from: Type.String(), value: Type.Number(), current: Nullable(Type.Number()), ...Counts,
  benefits: Type.Array(Type.Object({ benefit: Type.String(), ...Counts })),
  regions: Type.Array(Type.Object({ region: Type.String(), name: Type.String(), ...Counts })),
});
