import { recordAudit } from '../../platform/audit.ts';
import { bakuDate } from '../../platform/calendar.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { publishEvent } from '../../platform/events.ts';
import { getServiceRow } from '../catalog/index.ts';
import * as repo from './repository.ts';
import type { StaffNotificationsPage, StaffNotificationsQuery } from './schema.ts';
import { deriveState, ESCALATION, escalationsDue, MAX_ESCALATION_LEVEL, type Action, type ActionRecord, type Status } from './workflow.ts';

/** What one escalation pass did. */
export interface EscalationSummary {
  /** Open cases past their SLA due date below the top level that were looked at. */
  checked: number;
  /** Cases that moved up at least one level. */
  escalated: number;
  /** Escalate actions appended (a case two steps behind gets two). */
  levels: number;
  /** Staff notices sent. */
  notified: number;
}

const ESCALATING_STATUSES = Object.keys(ESCALATION) as Status[];
const PAGE = 200;

/**
 * Escalates every overdue case by the workflow table's ESCALATION rules, as of the context's
 * clock: appends one `escalate` action per level reached (through the event-sourced history,
 * so `deriveState` gives the level), and tells the level's role (the case's center manager at
 * level 1, head office at level 2). Each case is re-derived under its row lock, so a re-run, or
 * two runs at once, never escalate twice to the same level.
 */
export async function escalateOverdueCases(ctx: AppContext, onProgress?: (done: number) => void): Promise<EscalationSummary> {
  const today = bakuDate(ctx.now());
  const summary: EscalationSummary = { checked: 0, escalated: 0, levels: 0, notified: 0 };
  let after: { citizenId: number; applicationId: string } | undefined;
  for (;;) {
    const page = await repo.listEscalationCandidates(ctx.db, { statuses: ESCALATING_STATUSES, dueBefore: today, belowLevel: MAX_ESCALATION_LEVEL, after, limit: PAGE });
    for (const c of page) {
      summary.checked++;
      if (escalationsDue(c.status as Status, c.sla_due_on, c.escalation_level, today, ctx.calendar).length === 0) continue;
      const r = await escalateOne(ctx, c.reference, today);
      if (r.levels > 0) summary.escalated++;
      summary.levels += r.levels;
      summary.notified += r.notified;
    }
    onProgress?.(summary.checked);
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { citizenId: last.citizen_id, applicationId: last.application_id };
  }
  return summary;
}

async function escalateOne(ctx: AppContext, reference: string, today: string): Promise<{ levels: number; notified: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const app = await repo.findApplicationByReference(trx, reference, true);
    if (!app) return { levels: 0, notified: 0 };
    const svc = await getServiceRow({ ...ctx, db: trx }, app.service_code);
    const history = await repo.listActions(trx, app.citizen_id, app.application_id);
    const records: ActionRecord[] = history.map((h) => ({ seq: h.seq, action: h.action as Action, at: h.at, actorUserId: h.actor_user_id, data: h.data }));
    const current = deriveState(records, svc.sla_working_days, ctx.calendar);
    const due = escalationsDue(current.status, current.slaDueOn, current.escalationLevel, today, ctx.calendar);
    if (due.length === 0) return { levels: 0, notified: 0 };
    const now = ctx.now();
    let seq = app.last_seq;
    const notices = [];
    for (const { step, overdueWorkingDays } of due) {
      seq++;
      const data = { level: step.level, overdueWorkingDays, notified: step.notify, slaDueOn: current.slaDueOn };
      records.push({ seq, action: 'escalate', at: now, actorUserId: null, data });
      await repo.insertAction(trx, {
        citizen_id: app.citizen_id, application_id: app.application_id, seq, action: 'escalate', actor_user_id: null, actor_role: 'system', at: now,
        comment: null, reason: null, data: JSON.stringify(data),
      });
      notices.push({
        recipient_role: step.notify, center_code: app.center_code, kind: 'escalated' as const, citizen_id: app.citizen_id,
        application_id: app.application_id, reference, level: step.level, created_at: now,
        data: JSON.stringify({ serviceCode: app.service_code, slaDueOn: current.slaDueOn, overdueWorkingDays }),
      });
    }
    const state = deriveState(records, svc.sla_working_days, ctx.calendar);
    await repo.updateProjection(trx, app.citizen_id, app.application_id, {
      status: state.status, status_since: state.statusSince, assigned_to: state.assignedTo, sla_due_on: state.slaDueOn,
      decided_at: state.decidedAt, last_seq: seq, escalation_level: state.escalationLevel,
    });
    const notified = await repo.insertStaffNotifications(trx, notices);
    await publishEvent(trx, 'cases.application.action_taken', { citizenId: app.citizen_id, applicationId: app.application_id, reference, action: 'escalate', status: state.status });
    await recordAudit(trx, null, { action: 'application.escalate', citizenId: app.citizen_id, resource: `applications/${reference}`, purpose: `SLA overdue: escalated to level ${state.escalationLevel}` });
    return { levels: due.length, notified };
  });
}

/** The signed-in supervisor's notices (their roles; their center's unless they are head office), newest first. */
export async function listStaffNotifications(ctx: AppContext, actor: Actor, q: StaffNotificationsQuery): Promise<StaffNotificationsPage> {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { rows, total } = await repo.listStaffNotifications(ctx.db, { roles: actor.roles, centerCode: actor.centerCode, limit: pageSize, offset: (page - 1) * pageSize });
  return {
    items: rows.map((r) => {
      const d = r.data as { serviceCode?: string; slaDueOn?: string | null; overdueWorkingDays?: number };
      return {
        notificationId: r.notification_id, kind: r.kind, level: r.level, recipientRole: r.recipient_role, centerCode: r.center_code,
        reference: r.reference, serviceCode: r.service_code, status: r.status as Status, escalationLevel: r.escalation_level,
        slaDueOn: d.slaDueOn ?? null, overdueWorkingDays: d.overdueWorkingDays ?? null, createdAt: r.created_at.toISOString(),
      };
    }),
    page, pageSize, total,
  };
}
