import type { Role } from '../../platform/context.ts';
import { bakuDate as bakuDay, type WorkingCalendar } from '../../platform/calendar.ts';

/** Statuses an application can be in. */
export const STATUSES = ['submitted', 'in_review', 'info_requested', 'approved', 'rejected', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

/** Actions that move an application. */
export const ACTIONS = ['submit', 'assign', 'start_review', 'request_info', 'provide_info', 'approve', 'reject', 'withdraw', 'escalate'] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions nobody takes through the API: submit has its own route; escalate is the SLA job's. */
export const SYSTEM_ACTIONS = ['submit', 'escalate'] as const satisfies readonly Action[];

/** How the SLA clock behaves in a status. */
export type SlaClock = 'running' | 'paused' | 'stopped';

/** Per status: the SLA clock and whether it is final. */
export const STATUS_TABLE = {
  submitted: { sla: 'running', final: false },
  in_review: { sla: 'running', final: false },
  info_requested: { sla: 'paused', final: false },
  approved: { sla: 'stopped', final: true },
  rejected: { sla: 'stopped', final: true },
  withdrawn: { sla: 'stopped', final: true },
} as const satisfies Record<Status, { sla: SlaClock; final: boolean }>;

/** One row of the workflow: from which statuses, to which, who may, what it needs. */
export interface Transition {
  from: readonly (Status | null)[];
  /** null: the status does not change (e.g. assign). */
  to: Status | null;
  roles: readonly Role[];
  /** A citizen may only take it on their own application. */
  ownOnly?: boolean;
  requires?: readonly ('comment' | 'reason')[];
}

/**
 * The workflow: every allowed move, in one table. The HTTP layer, the service and the web app's
 * buttons all read this; nothing else decides what may happen next.
 */
export const WORKFLOW = {
  submit: { from: [null], to: 'submitted', roles: ['citizen', 'operator', 'call_center_agent'] },
  assign: { from: ['submitted', 'in_review', 'info_requested'], to: null, roles: ['officer', 'center_manager'] },
  start_review: { from: ['submitted'], to: 'in_review', roles: ['officer'] },
  request_info: { from: ['in_review'], to: 'info_requested', roles: ['officer'], requires: ['comment'] },
  provide_info: { from: ['info_requested'], to: 'in_review', roles: ['citizen', 'operator', 'call_center_agent'], ownOnly: true, requires: ['comment'] },
  approve: { from: ['in_review'], to: 'approved', roles: ['officer'] },
  reject: { from: ['in_review'], to: 'rejected', roles: ['officer'], requires: ['reason'] },
  withdraw: { from: ['submitted', 'in_review', 'info_requested'], to: 'withdrawn', roles: ['citizen'], ownOnly: true },
  /** Taken by the SLA escalation job only (no role may take it): the case moves up a level. */
  escalate: { from: ['submitted', 'in_review'], to: null, roles: [] },
} as const satisfies Record<Action, Transition>;

/** One step of escalation: once the SLA is this many working days overdue, the case reaches `level` and `notify` is told. */
export interface EscalationStep {
  level: number;
  afterOverdueWorkingDays: number;
  /** The role told: the supervisor of the case's center at level 1, head office at level 2. */
  notify: Role;
}

const STANDARD_ESCALATION: readonly EscalationStep[] = [
  { level: 1, afterOverdueWorkingDays: 1, notify: 'center_manager' },
  { level: 2, afterOverdueWorkingDays: 5, notify: 'admin' },
];

/**
 * Escalation of overdue cases, per status whose SLA clock runs (a paused or stopped clock never
 * escalates). Read by the escalation job; levels only go up.
 */
export const ESCALATION: Partial<Record<Status, readonly EscalationStep[]>> = {
  submitted: STANDARD_ESCALATION,
  in_review: STANDARD_ESCALATION,
};

/** Highest escalation level any status reaches. */
export const MAX_ESCALATION_LEVEL = Math.max(...Object.values(ESCALATION).flatMap((steps) => steps.map((s) => s.level)));

/**
 * The escalation steps a case has reached but not yet taken, lowest first: from its status, its
 * SLA due date and its current level, as of `today` (Baku date).
 */
export function escalationsDue(status: Status, slaDueOn: string | null, level: number, today: string, calendar: WorkingCalendar): { step: EscalationStep; overdueWorkingDays: number }[] {
  const steps = ESCALATION[status];
  if (!steps || !slaDueOn || STATUS_TABLE[status].sla !== 'running') return [];
  const overdue = calendar.workingDaysBetween(slaDueOn, today);
  return steps.filter((s) => s.level > level && overdue >= s.afterOverdueWorkingDays).sort((a, b) => a.level - b.level)
    .map((step) => ({ step, overdueWorkingDays: overdue }));
}

/** Reason codes an officer gives for a rejection. */
export const REJECTION_REASONS = ['not_eligible', 'incomplete_documents', 'duplicate', 'no_legal_basis', 'other'] as const;

/** One recorded action as the derivation needs it. */
export interface ActionRecord {
  seq: number;
  action: Action;
  at: Date;
  actorUserId: string | null;
  data: Record<string, unknown>;
}

/** What the action history implies now. */
export interface DerivedState {
  status: Status;
  statusSince: Date;
  assignedTo: string | null;
  slaDueOn: string | null;
  /** Working days the clock was paused (info requested). */
  pausedWorkingDays: number;
  decidedAt: Date | null;
  /** Escalation level reached (0: never escalated); only goes up. */
  escalationLevel: number;
}


/**
 * Folds the action history into the current state. Pure: the same history and calendar always
 * give the same state. Throws on a history the workflow table does not allow.
 */
export function deriveState(actions: readonly ActionRecord[], slaWorkingDays: number, calendar: WorkingCalendar): DerivedState {
  let status: Status | null = null;
  let statusSince = new Date(0);
  let assignedTo: string | null = null;
  let submittedOn = '';
  let pausedSince: string | null = null;
  let paused = 0;
  let decidedAt: Date | null = null;
  let escalationLevel = 0;
  const sorted = [...actions].sort((a, b) => a.seq - b.seq);
  for (const a of sorted) {
    const t: Transition = WORKFLOW[a.action];
    if (!t.from.includes(status)) throw new Error(`action ${a.action} not allowed from ${status ?? 'nothing'} (seq ${a.seq})`);
    if (a.action === 'submit') submittedOn = bakuDay(a.at);
    if (a.action === 'assign') assignedTo = typeof a.data.assigneeId === 'string' ? a.data.assigneeId : a.actorUserId;
    if (a.action === 'start_review' && assignedTo === null) assignedTo = a.actorUserId;
    if (a.action === 'escalate' && typeof a.data.level === 'number') escalationLevel = Math.max(escalationLevel, a.data.level);
    if (t.to !== null && t.to !== status) {
      if (status === 'info_requested' && pausedSince) {
        paused += calendar.workingDaysBetween(pausedSince, bakuDay(a.at));
        pausedSince = null;
      }
      status = t.to;
      statusSince = a.at;
      if (status === 'info_requested') pausedSince = bakuDay(a.at);
      if (status === 'approved' || status === 'rejected') decidedAt = a.at;
    }
  }
  if (status === null) throw new Error('an application history starts with submit');
  const clock = STATUS_TABLE[status].sla;
  const slaDueOn = clock === 'running' ? calendar.addWorkingDays(submittedOn, slaWorkingDays + paused) : null;
  return { status, statusSince, assignedTo, slaDueOn, pausedWorkingDays: paused, decidedAt, escalationLevel };
}

/** SLA state for display: how the deadline stands today. */
export type SlaState = 'ok' | 'due_soon' | 'overdue' | 'paused' | 'closed';

/** The SLA badge and working days left, as of `today`. */
export function slaStatus(status: Status, slaDueOn: string | null, today: string, calendar: WorkingCalendar): { slaState: SlaState; workingDaysLeft: number | null } {
  const clock = STATUS_TABLE[status].sla;
  if (clock === 'stopped') return { slaState: 'closed', workingDaysLeft: null };
  if (clock === 'paused' || !slaDueOn) return { slaState: 'paused', workingDaysLeft: null };
  const left = calendar.workingDaysBetween(today, slaDueOn);
  return { slaState: left < 0 ? 'overdue' : left <= 2 ? 'due_soon' : 'ok', workingDaysLeft: left };
}

/** The actions an actor may take on an application in its status. */
export function allowedActions(roles: readonly Role[], status: Status, isOwn: boolean): Action[] {
  return ACTIONS.filter((a) => {
    if (a === 'submit') return false;
    const t: Transition = WORKFLOW[a];
    if (!t.from.includes(status)) return false;
    return roles.some((r) => t.roles.includes(r) && (!t.ownOnly || r !== 'citizen' || isOwn));
  });
}
