import type { ColumnType, Generated } from 'kysely';

// Row types of the benefits tables (migrations/0006_benefits.sql), added to the DB interface.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DateStr = ColumnType<string, string, string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

/** Parameter values a decision used: name → value and the date it was in force from. */
export type UsedParameters = Record<string, { value: number | null; from: string | null }>;

export interface HouseholdIncomeDeclarationsTable {
  household_id: number;
  declaration_id: Generated<number>;
  declared_on: DateStr;
  monthly_income_azn: ColumnType<number, number | string, number | string>;
  source: string;
  created_at: Timestamp;
  period_from: ColumnType<string | null, string | null | undefined, string | null>;
  period_to: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface BenefitOffersTable {
  citizen_id: number;
  offer_id: Generated<number>;
  benefit_id: string;
  subject_key: string;
  rule_version: number;
  status: Generated<'pending' | 'accepted' | 'withdrawn'>;
  amount_azn: number;
  period_from: DateStr;
  period_to: DateStr | null;
  eval_date: DateStr;
  parameters: Json<UsedParameters>;
  created_at: Timestamp;
  decided_at: NullableTimestamp;
}

export interface BenefitAssignmentsTable {
  citizen_id: number;
  assignment_id: Generated<number>;
  benefit_id: string;
  subject_key: string;
  rule_version: number;
  payment: 'one_off' | 'monthly';
  status: Generated<'active' | 'ended'>;
  amount_azn: number;
  period_from: DateStr;
  period_to: DateStr | null;
  eval_date: DateStr;
  parameters: Json<UsedParameters>;
  offer_id: number | null;
  ended_reason: string | null;
  created_at: Timestamp;
  ended_at: NullableTimestamp;
  recovery_status: 'due' | 'recovered' | 'waived' | null;
  recovery_amount_azn: number | null;
}

export interface BenefitNotificationsTable {
  citizen_id: number;
  notification_id: Generated<number>;
  kind: 'assigned' | 'offered' | 'ended' | 'recalculated';
  benefit_id: string;
  decision_id: number;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

declare module '../../platform/db-types.ts' {
  interface DB {
    household_income_declarations: HouseholdIncomeDeclarationsTable;
    benefit_offers: BenefitOffersTable;
    benefit_assignments: BenefitAssignmentsTable;
    benefit_notifications: BenefitNotificationsTable;
  }
}
