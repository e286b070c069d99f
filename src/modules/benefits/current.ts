import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { DB } from '../../platform/db-types.ts';

/** A benefit decision still open for a citizen: an active monthly assignment or an offer awaiting consent. */
export interface OpenDecision { kind: 'assignment' | 'offer'; periodFrom: string; periodTo: string | null }

/**
 * The open decision of a benefit that covers a citizen on `today`, if any: an active monthly
 * assignment (or a pending offer) whose period has not ended (period_to is exclusive), paid to
 * them or to a household they belong to (TSA is the household's). One-off payments are never
 * open: a second child's birth is a new allowance.
 */
export async function findOpenDecision(db: Db, citizenId: number, benefitId: string, today: string): Promise<OpenDecision | undefined> {
  const theirs = (eb: ExpressionBuilder<DB, 'benefit_assignments' | 'benefit_offers'>) => eb.or([
    eb('citizen_id', '=', citizenId),
    eb('subject_key', 'in', eb.selectFrom('household_members').select(sql<string>`'household:' || household_id`.as('k'))
      .where('citizen_id', '=', citizenId).where('left_on', 'is', null)),
  ]);
  const current = (eb: ExpressionBuilder<DB, 'benefit_assignments' | 'benefit_offers'>) => eb.or([eb('period_to', 'is', null), eb('period_to', '>', today)]);
  const a = await db.selectFrom('benefit_assignments').select(['period_from', 'period_to'])
    .where('benefit_id', '=', benefitId).where('status', '=', 'active').where('payment', '=', 'monthly')
    .where(theirs).where(current).orderBy('period_from', 'desc').limit(1).executeTakeFirst();
  if (a) return { kind: 'assignment', periodFrom: a.period_from, periodTo: a.period_to };
  const o = await db.selectFrom('benefit_offers').select(['period_from', 'period_to'])
    .where('benefit_id', '=', benefitId).where('status', '=', 'pending')
    .where(theirs).where(current).orderBy('period_from', 'desc').limit(1).executeTakeFirst();
  return o && { kind: 'offer', periodFrom: o.period_from, periodTo: o.period_to };
}
