/** Shapes of the dost HTTP API (docs/api.md). */

export type Lang = 'az' | 'ru' | 'en';
export const LANGS: readonly Lang[] = ['az', 'ru', 'en'];

/** Translated text. */
export type L = Record<Lang, string>;

export type Role =
  | 'citizen'
  | 'operator'
  | 'officer'
  | 'center_manager'
  | 'call_center_agent'
  | 'analyst'
  | 'admin';
export const ROLES: readonly Role[] = [
  'citizen',
  'operator',
  'officer',
  'center_manager',
  'call_center_agent',
  'analyst',
  'admin',
];

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  locale: Lang;
  citizenId?: number | null;
  centerCode?: string | null;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface Category {
  code: string;
  name: L;
  sort: number;
  serviceCount: number;
}

export type Channel = 'center' | 'online' | 'call_center' | 'proactive';

export interface ServiceSummary {
  code: string;
  category: string;
  name: L;
  description: L;
  channels: Channel[];
  proactive: boolean;
  slaWorkingDays: number;
  counterMinutes: number;
  agency: string;
  feeAzn: number | string;
}

export type FieldType =
  | 'text'
  | 'textarea'
  | 'number'
  | 'money'
  | 'date'
  | 'select'
  | 'boolean'
  | 'fin'
  | 'phone'
  | 'email';

export interface FieldOption {
  value: string | number;
  label: L;
}

export interface Field {
  name: string;
  type: FieldType;
  label: L;
  required?: boolean;
  prefill?: string | boolean;
  options?: FieldOption[];
  min?: number | string;
  max?: number | string;
  maxLength?: number;
  help?: L;
}

export interface ServiceForm {
  fields: Field[];
}

export interface ServiceDocument {
  code: string;
  name: L;
  fromRegistry: boolean;
}

export interface ServiceDetail extends ServiceSummary {
  legalBasis: string | L;
  documents: ServiceDocument[];
  form: ServiceForm;
}

export interface District {
  code: string;
  name: L;
  population: number;
}
export interface Region {
  code: string;
  name: L;
  districts: District[];
}
export interface Center {
  code: string;
  kind: string;
  name: L;
  address: L;
  districtCode: string;
  servesDistricts: string[];
  status: string;
  windows: number;
}

/** The docs name this shape without spelling it out; every field but id/fin is optional. */
export interface CitizenSummary {
  id: number;
  fin: string;
  lastName?: string;
  firstName?: string;
  patronymic?: string | null;
  birthDate?: string;
  sex?: string;
  districtCode?: string;
  deathDate?: string | null;
  name?: string;
}

export interface HouseholdMember {
  citizenId: number;
  fin: string;
  name: string;
  relation: string;
  birthDate: string;
}

export interface LifeEvent {
  id: number | string;
  type: string;
  occurredOn: string;
  source: string;
  data: Record<string, unknown>;
}

export interface Citizen {
  id: number;
  fin: string;
  lastName: string;
  firstName: string;
  patronymic: string | null;
  birthDate: string;
  sex: string;
  districtCode: string;
  address: string | null;
  phone: string | null;
  idCardNumber: string | null;
  deathDate: string | null;
  household: { id: number; members: HouseholdMember[] } | null;
  lifeEvents: LifeEvent[];
}

export type ApplicationStatus =
  | 'submitted'
  | 'in_review'
  | 'info_requested'
  | 'approved'
  | 'rejected'
  | 'withdrawn';
export const APPLICATION_STATUSES: readonly ApplicationStatus[] = [
  'submitted',
  'in_review',
  'info_requested',
  'approved',
  'rejected',
  'withdrawn',
];

export type SlaState = 'ok' | 'due_soon' | 'overdue' | 'paused' | 'closed';

export interface ApplicationSummary {
  reference: string;
  citizenId: number;
  citizenName: string;
  serviceCode: string;
  serviceName: L;
  status: ApplicationStatus;
  channel: Channel;
  assisted: boolean;
  centerCode: string | null;
  assignedTo: string | null;
  assignedToName: string | null;
  submittedAt: string;
  statusSince: string;
  slaDueOn: string | null;
  slaState: SlaState;
  workingDaysLeft: number | null;
}

export interface ApplicationAction {
  seq: number;
  action: string;
  actorRole: string;
  actorName: string | null;
  at: string;
  comment: string | null;
  reason: string | null;
}

export interface Application extends ApplicationSummary {
  data: Record<string, unknown>;
  decidedAt: string | null;
  actions: ApplicationAction[];
  allowedActions: string[];
  service: { code: string; name: L; slaWorkingDays: number; form: ServiceForm };
  citizen?: CitizenSummary;
}

export type WorkflowAction =
  | 'assign'
  | 'start_review'
  | 'request_info'
  | 'provide_info'
  | 'approve'
  | 'reject'
  | 'withdraw';

export const REJECT_REASONS = ['not_eligible', 'incomplete_documents', 'duplicate', 'no_legal_basis', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface ActionInput {
  action: WorkflowAction;
  comment?: string;
  reason?: string;
  data?: Record<string, unknown>;
  expectedSeq?: number;
}

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  locale: Lang;
  disabled: boolean;
  centerCode?: string | null;
  citizenId?: number | null;
  createdAt?: string;
}

export interface AuditEntry {
  id: number | string;
  at: string;
  actorUsername: string | null;
  actorRoles: string[] | null;
  action: string;
  citizenId: number | null;
  fin: string | null;
  resource: string | null;
  purpose: string | null;
}

export interface ImportReport {
  imported: number;
  rejected: number;
  errors: { line: number; field: string | null; code: string; message: string }[];
}
