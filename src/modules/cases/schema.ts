import { Type, type Static } from 'typebox';
import { Id, L, Line, Page, PageQuery, Text, Uuid } from '../../platform/http/schemas.ts';
import { CitizenSummary } from '../registry/index.ts';
import { FieldOut } from '../catalog/schema.ts';
import { ACTIONS, REJECTION_REASONS, STATUSES, SYSTEM_ACTIONS } from './workflow.ts';

export const StatusSchema = Type.Enum(STATUSES);
export const ActionSchema = Type.Enum(ACTIONS.filter((a) => !(SYSTEM_ACTIONS as readonly string[]).includes(a)) as Exclude<(typeof ACTIONS)[number], (typeof SYSTEM_ACTIONS)[number]>[]);

/** A form field's name as the catalog declares it. */
const FIELD_NAME = '^[A-Za-z][A-Za-z0-9_]{0,63}$';
/** A center's code (`BAKU-1`): never empty. */
const CenterCode = Type.String({ pattern: '^[A-Z0-9-]{2,30}$' });

export const SubmitApplicationBody = Type.Object({
  serviceCode: Type.String({ pattern: '^\\d{2}-\\d{2}-\\d{2}-\\d{2}$' }),
  data: Type.Record(Type.String({ pattern: FIELD_NAME }), Type.Unknown(), { maxProperties: 50 }),
  citizenId: Type.Optional(Id()),
  centerCode: Type.Optional(CenterCode),
}, { additionalProperties: false });
export type SubmitApplicationBody = Static<typeof SubmitApplicationBody>;

export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.String({ minLength: 8, maxLength: 128, pattern: '^[\\w.:-]+$' }) });

export const ApplicationSummary = Type.Object({
  reference: Type.String(),
  citizenId: Type.Integer(),
  citizenName: Type.String(),
  serviceCode: Type.String(),
  serviceName: L,
  status: StatusSchema,
  channel: Type.String(),
  assisted: Type.Boolean(),
  centerCode: Type.Union([Type.String(), Type.Null()]),
  assignedTo: Type.Union([Type.String(), Type.Null()]),
  assignedToName: Type.Union([Type.String(), Type.Null()]),
  submittedAt: Type.String(),
  statusSince: Type.String(),
  slaDueOn: Type.Union([Type.String(), Type.Null()]),
  slaState: Type.Enum(['ok', 'due_soon', 'overdue', 'paused', 'closed']),
  workingDaysLeft: Type.Union([Type.Integer(), Type.Null()]),
});
export type ApplicationSummary = Static<typeof ApplicationSummary>;

export const ActionOut = Type.Object({
  seq: Type.Integer(), action: Type.String(), actorRole: Type.String(), actorName: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(), comment: Type.Union([Type.String(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]),
});

export const ApplicationOut = Type.Intersect([
  ApplicationSummary,
  Type.Object({
    data: Type.Record(Type.String(), Type.Unknown()),
    decidedAt: Type.Union([Type.String(), Type.Null()]),
    actions: Type.Array(ActionOut),
    allowedActions: Type.Array(Type.String()),
    service: Type.Object({ code: Type.String(), name: L, slaWorkingDays: Type.Integer(), form: Type.Object({ fields: Type.Array(FieldOut) }) }),
    citizen: Type.Optional(CitizenSummary),
  }),
]);
export type ApplicationOut = Static<typeof ApplicationOut>;

export const TakeActionBody = Type.Object({
  action: ActionSchema,
  comment: Type.Optional(Text({ minLength: 1, maxLength: 2000 })),
  reason: Type.Optional(Type.Enum(REJECTION_REASONS)),
  data: Type.Optional(Type.Record(Type.String({ pattern: FIELD_NAME }), Type.Unknown(), { maxProperties: 50 })),
  expectedSeq: Type.Optional(Id()),
}, { additionalProperties: false });
export type TakeActionBody = Static<typeof TakeActionBody>;

export const ReferenceParams = Type.Object({ reference: Type.String({ pattern: '^DOST-\\d{4}-(\\d{7,}|[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})$' }) });

const SortSchema = Type.Enum(['slaDueOn', '-slaDueOn', 'submittedAt', '-submittedAt']);

export const MyApplicationsQuery = Type.Object({ status: Type.Optional(StatusSchema), ...PageQuery }, { additionalProperties: false });
export type MyApplicationsQuery = Static<typeof MyApplicationsQuery>;

export const InboxQuery = Type.Object({
  service: Type.Optional(Type.String({ pattern: '^\\d{2}-\\d{2}-\\d{2}-\\d{2}$' })),
  status: Type.Optional(StatusSchema),
  center: Type.Optional(CenterCode),
  assignee: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('unassigned'), Uuid()])),
  sla: Type.Optional(Type.Union([Type.Literal('overdue'), Type.Literal('today'), Type.Literal('week')])),
  citizenId: Type.Optional(Id()),
  q: Type.Optional(Line({ maxLength: 40 })),
  sort: Type.Optional(SortSchema),
  ...PageQuery,
}, { additionalProperties: false });
export type InboxQuery = Static<typeof InboxQuery>;

export const StaffNotificationsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type StaffNotificationsQuery = Static<typeof StaffNotificationsQuery>;

export const StaffNotification = Type.Object({
  notificationId: Type.Integer(),
  kind: Type.Enum(['escalated']),
  level: Type.Integer({ description: 'Escalation level the case reached (1: center manager told, 2: head office told)' }),
  recipientRole: Type.String(),
  centerCode: Type.Union([Type.String(), Type.Null()]),
  reference: Type.String(),
  serviceCode: Type.String(),
  status: StatusSchema,
  escalationLevel: Type.Integer({ description: 'The case\'s level now' }),
  slaDueOn: Type.Union([Type.String(), Type.Null()]),
  overdueWorkingDays: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
});
export const StaffNotificationsPage = Page(StaffNotification);
export type StaffNotificationsPage = Static<typeof StaffNotificationsPage>;
