import type { ColumnType, Generated } from 'kysely';

// Row types of every table, kept in step with migrations/*.sql (a test compares the two).

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateStr = ColumnType<string, string, string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface OutboxTable {
  event_id: Generated<number>;
  topic: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  available_at: Timestamp;
  processed_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface AuditLogTable {
  audit_id: Generated<number>;
  at: Timestamp;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_roles: string[];
  action: string;
  citizen_id: number | null;
  resource: string;
  purpose: string;
  request_id: string | null;
  ip: string | null;
  citizen_ids: Generated<number[]>;
  chain: Generated<number>;
  seq: Generated<number>;
  prev_hash: Generated<Buffer>;
  hash: Generated<Buffer>;
}

export interface AuditChainHeadTable {
  chain: number;
  seq: number;
  hash: Buffer;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: Json;
  created_at: Timestamp;
}

export interface RegionsTable {
  region_code: string;
  name_az: string;
  name_ru: string;
  name_en: string;
  population_share_pct: number;
}

export interface DistrictsTable {
  district_code: string;
  region_code: string;
  name_az: string;
  name_ru: string;
  name_en: string;
  kind: string;
  population: number;
  postal_prefix: string | null;
}

export interface HolidaysTable {
  holiday_date: DateStr;
  name_az: string;
  name_ru: string;
  name_en: string;
  kind: string;
}

export interface WorkingDaysTable {
  work_date: DateStr;
  note: string;
}

export interface ServiceCategoriesTable {
  category_code: string;
  name_az: string;
  name_ru: string;
  name_en: string;
  sort: number;
}

export interface ServicesTable {
  service_code: string;
  category_code: string;
  name_az: string;
  name_ru: string;
  name_en: string;
  description_az: string;
  description_ru: string;
  description_en: string;
  channels: string[];
  proactive: Generated<boolean>;
  benefit_id: string | null;
  legal_basis: string;
  documents: Json<unknown[]>;
  sla_working_days: number;
  counter_minutes: number;
  agency: string;
  fee_azn: Generated<number>;
  form: Json<{ fields: unknown[] }>;
  active: Generated<boolean>;
  search_text: Generated<string>;
}

export interface CentersTable {
  center_code: string;
  kind: string;
  name_az: string;
  name_ru: string;
  name_en: string;
  address_az: string;
  address_ru: string;
  address_en: string;
  district_code: string;
  serves_districts: string[];
  opened_on: DateStr | null;
  status: string;
  windows: Generated<number>;
  capacity_per_day: number | null;
  hours: Json<Record<string, unknown>>;
  confirmed: Generated<boolean>;
}

export interface LoginAttemptsTable {
  username: string;
  source: string;
  failures: number;
  last_attempt_at: Timestamp;
  locked_until: Date | null;
}

export interface UsersTable {
  user_id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string | null;
  roles: string[];
  citizen_id: number | null;
  center_code: string | null;
  locale: Generated<string>;
  disabled: Generated<boolean>;
  oidc_subject: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  kind: 'cookie' | 'bearer';
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface CitizensTable {
  citizen_id: Generated<number>;
  fin: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: DateStr;
  sex: 'M' | 'F';
  district_code: string;
  address: string | null;
  phone: string | null;
  id_card_number: string | null;
  death_date: DateStr | null;
  merged_into: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface HouseholdsTable {
  household_id: Generated<number>;
  district_code: string;
  address: string | null;
  created_at: Timestamp;
}

export interface HouseholdMembersTable {
  citizen_id: number;
  household_id: number;
  relation: string;
  joined_on: DateStr;
  left_on: DateStr | null;
}

export interface LifeEventsTable {
  citizen_id: number;
  event_id: Generated<number>;
  type: string;
  occurred_on: DateStr;
  recorded_at: Timestamp;
  source: string;
  data: Json<Record<string, unknown>>;
  kind: Generated<'original' | 'correction' | 'cancellation'>;
  source_system: Generated<string>;
  source_event_id: string | null;
  supersedes_event_id: number | null;
}

export interface ApplicationsTable {
  citizen_id: number;
  application_id: Generated<string>;
  reference: string;
  service_code: string;
  status: string;
  channel: string;
  center_code: string | null;
  submitted_by: string | null;
  assisted: Generated<boolean>;
  assigned_to: string | null;
  data: Json<Record<string, unknown>>;
  submitted_at: Timestamp;
  status_since: Timestamp;
  sla_due_on: DateStr | null;
  decided_at: Date | null;
  last_seq: Generated<number>;
  escalation_level: Generated<number>;
}

export interface ApplicationActionsTable {
  citizen_id: number;
  application_id: string;
  seq: number;
  action: string;
  actor_user_id: string | null;
  actor_role: string;
  at: Timestamp;
  comment: string | null;
  reason: string | null;
  data: Json<Record<string, unknown>>;
}

export interface OidcLoginStatesTable {
  state: string;
  code_verifier: string;
  nonce: string;
  return_to: Generated<string>;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** Every table, for Kysely. */
export interface DB {
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  idempotency_keys: IdempotencyKeysTable;
  regions: RegionsTable;
  districts: DistrictsTable;
  holidays: HolidaysTable;
  working_days: WorkingDaysTable;
  service_categories: ServiceCategoriesTable;
  services: ServicesTable;
  centers: CentersTable;
  users: UsersTable;
  login_attempts: LoginAttemptsTable;
  sessions: SessionsTable;
  oidc_login_states: OidcLoginStatesTable;
  citizens: CitizensTable;
  households: HouseholdsTable;
  household_members: HouseholdMembersTable;
  life_events: LifeEventsTable;
  effective_life_events: LifeEventsTable;
  applications: ApplicationsTable;
  application_actions: ApplicationActionsTable;
}
