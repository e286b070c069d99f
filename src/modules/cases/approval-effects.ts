/**
 * What approving an application changes outside the case itself, in the approval's transaction.
 * Targeted social assistance: the average monthly income the family declared on the form becomes
 * an income declaration of the applicant's household (source 'application'), covering the 12
 * full months before the application was submitted — the figure the benefit rules then read.
 */
import { bakuDate } from '../../platform/calendar.ts';
import type { Actor } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { householdIdOfCitizen, recordIncomeDeclaration } from '../registry/index.ts';

/** The TSA form field that carries the declared income (data/catalog/services.json). */
export const TSA_INCOME_FIELD = 'monthly_income';
export const TSA_CATEGORY = 'TSA';

/** The 12 full calendar months before the month of `day` (YYYY-MM-DD). */
export function twelveMonthsBefore(day: string): { from: string; to: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const firstOfMonth = Date.UTC(y, m - 1, 1);
  const to = new Date(firstOfMonth - 86_400_000).toISOString().slice(0, 10);
  const from = new Date(Date.UTC(y - 1, m - 1, 1)).toISOString().slice(0, 10);
  return { from, to };
}

interface ApprovedApplication { citizen_id: number; reference: string; data: Record<string, unknown>; submitted_at: Date }

/** Runs the effects of an approval; returns the income declaration id recorded, if any. */
export async function applyApprovalEffects(trx: Db, actor: Actor, app: ApprovedApplication, svc: { category_code: string }): Promise<number | null> {
  if (svc.category_code !== TSA_CATEGORY) return null;
  const raw = app.data[TSA_INCOME_FIELD];
  const income = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(income) || income < 0) return null;
  const householdId = await householdIdOfCitizen(trx, app.citizen_id);
  if (householdId === null) return null;
  const submittedOn = bakuDate(app.submitted_at);
  const period = twelveMonthsBefore(submittedOn);
  const row = await recordIncomeDeclaration(trx, actor, householdId, {
    monthlyIncomeAzn: income, periodFrom: period.from, periodTo: period.to, source: 'application', declaredOn: submittedOn,
  }, `approved targeted social assistance application ${app.reference}`);
  return row.declaration_id;
}
