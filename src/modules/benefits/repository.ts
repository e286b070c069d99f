import { CompiledQuery } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { Rule } from '../../rules/language.ts';
import type { UsedParameters } from './db-types.ts';

const raw = <R>(db: Db, text: string, values: unknown[] = []) => db.executeQuery<R>(CompiledQuery.raw(text, values));

/** Counts of what applying a rule did. */
export interface ApplyStats {
  evaluated: number;
  eligible: number;
  notEligible: number;
  cannotDecide: number;
  assigned: number;
  offered: number;
  ended: number;
  recalculated: number;
  withdrawn: number;
}

const EVAL = '_benefit_eval';

/**
 * Turns a compiled rule's results into decisions, set-based, inside the caller's transaction:
 * withdraws or updates pending offers, ends or recalculates open assignments, assigns directly
 * or offers. Every step checks what exists first, so applying the same results twice changes
 * nothing; the no-overlap trigger backs this up.
 */
export async function applyDecisions(trx: Db, rule: Rule, compiled: { text: string; values: unknown[] }, today: string, mode: 'table' | 'rows' = 'table'): Promise<ApplyStats> {
  // 'table' (sweeps): results go to a temp table, analyzed. 'rows' (one event's few subjects):
  // results come back and are passed to each statement as one jsonb parameter, which avoids
  // creating a temp table per event.
  let rowsJson: string | undefined;
  let by: Record<string, number>;
  // No JIT for these statements (this transaction only): the compiled rules' cost estimates pass
  // the JIT thresholds, and compiling them took 0.4–1.1 s per query — more than running them
  // (a sweep of 100,000 citizens: childbirth 766 → 168 ms, child under one 1,068 → 533 ms).
  await raw(trx, 'set local jit = off');
  // Writers of a benefit's assignments serialise through advisory locks (the no-overlap trigger).
  // A sweep takes one exclusive lock for the benefit and tells the trigger (dost.bulk_benefit), so
  // it does not take one lock per row (which ran out of lock table at 1 M citizens); an event
  // takes the benefit's lock shared, first, so both always lock the benefit before any row.
  const benefitLock = `hashtext('benefit|' || $1::text)`;
  if (mode === 'table') {
    await raw(trx, `select pg_advisory_xact_lock(${benefitLock})::text, set_config('dost.bulk_benefit', $1::text, true)`, [rule.id]);
  } else {
    await raw(trx, `select pg_advisory_xact_lock_shared(${benefitLock})::text`, [rule.id]);
  }
  if (mode === 'rows') {
    const rows = (await raw<{ outcome: string }>(trx, compiled.text, compiled.values)).rows;
    by = {};
    for (const r of rows) by[r.outcome] = (by[r.outcome] ?? 0) + 1;
    rowsJson = JSON.stringify(rows);
  } else {
    await raw(trx, `drop table if exists ${EVAL}`);
    await raw(trx, `create temp table ${EVAL} as ${compiled.text}`, compiled.values);
    // Statistics for the joins below: without them the planner guesses and can loop over the whole table per row.
    await raw(trx, `analyze ${EVAL}`);
    const counts = await raw<{ outcome: string; n: number }>(trx, `select outcome, count(*)::int as n from ${EVAL} group by outcome`);
    by = Object.fromEntries(counts.rows.map((r) => [r.outcome, Number(r.n)]));
    // A sweep joins many rows against the decision tables: fresh statistics keep those joins hashed
    // (tables filled since the last autovacuum otherwise look empty and get a nested loop per row).
    if (counts.rows.reduce((n, r) => n + Number(r.n), 0) > 5000) await raw(trx, 'analyze benefit_offers, benefit_assignments');
  }
  // The decision statements insert into tables they also read (is there an offer, an overlapping
  // assignment?). Statistics taken before a sweep's inserts say the benefit has no rows, and a
  // sequential scan planned on them visits every row the same statement has inserted so far, for
  // each row it inserts: quadratic (a sweep of 10 M citizens stalled on 187,427 pension offers).
  // Index look-ups do not visit those rows.
  await raw(trx, 'set local enable_seqscan = off');
  const stats: ApplyStats = {
    evaluated: (by.eligible ?? 0) + (by.not_eligible ?? 0) + (by.cannot_decide ?? 0),
    eligible: by.eligible ?? 0, notEligible: by.not_eligible ?? 0, cannotDecide: by.cannot_decide ?? 0,
    assigned: 0, offered: 0, ended: 0, recalculated: 0, withdrawn: 0,
  };
  /**
   * Runs a decision statement over the results ({EVAL} names them). Each statement acts on one
   * outcome (`r.outcome = '…'`); it is skipped when no result has that outcome.
   */
  const run = async (text: string, values: unknown[]): Promise<{ rows: unknown[] }> => {
    const on = /r\.outcome = '(\w+)'/.exec(text)?.[1];
    if ((on === 'eligible' && stats.eligible === 0) || (on === 'not_eligible' && stats.notEligible === 0)) return { rows: [] };
    if (rowsJson === undefined) return raw(trx, text.replaceAll('{EVAL}', EVAL), values);
    const source = `(select * from jsonb_to_recordset($${values.length + 1}::jsonb) as t(subject_key text, citizen_id bigint, about_id bigint,
      region_code text, eval_date date, outcome text, amount float8, period_from date, period_to date, parameters jsonb))`;
    return raw(trx, text.replaceAll('{EVAL}', source), [...values, rowsJson]);
  };
  if (stats.eligible + stats.notEligible === 0) {
    if (mode === 'table') await raw(trx, `drop table ${EVAL}`);
    return stats;
  }
  const id = rule.id;
  const oneOff = rule.payment === 'one_off';
  const periodTo = oneOff ? `(r.period_from + 1)` : 'r.period_to';
  const match = 'a.citizen_id = r.citizen_id and a.subject_key = r.subject_key';

  // Pending offers: withdraw when no longer eligible, refresh the amount when it changed.
  const withdrawn = await run(`
    update benefit_offers a set status = 'withdrawn', decided_at = now() from {EVAL} r
     where a.benefit_id = $1 and ${match} and a.status = 'pending' and r.outcome = 'not_eligible' returning 1`, [id]);
  await run(`
    update benefit_offers a set amount_azn = r.amount, period_from = r.period_from, period_to = r.period_to, eval_date = r.eval_date,
           parameters = r.parameters, rule_version = $2 from {EVAL} r
     where a.benefit_id = $1 and ${match} and a.status = 'pending' and r.outcome = 'eligible' and a.amount_azn <> r.amount`, [id, rule.version]);

  let ended = 0;
  let recalculated = 0;
  if (!oneOff) {
    const open = `a.benefit_id = $1 and ${match} and a.status = 'active' and (a.period_to is null or a.period_to > $2::date)`;
    // No longer eligible: end it today (or cancel a period that has not started).
    const e = await run(`
      with x as (
        update benefit_assignments a set status = 'ended', ended_at = now(), ended_reason = 'not_eligible',
               period_to = case when a.period_from < $2::date then $2::date else a.period_from + 1 end
          from {EVAL} r where ${open} and r.outcome = 'not_eligible'
        returning a.citizen_id, a.assignment_id)
      insert into benefit_notifications (citizen_id, kind, benefit_id, decision_id) select citizen_id, 'ended', $1, assignment_id from x returning 1`, [id, today]);
    ended = e.rows.length;
    // Amount changed and the period has not started: correct it in place.
    const inPlace = await run(`
      update benefit_assignments a set amount_azn = r.amount, parameters = r.parameters, rule_version = $3, eval_date = r.eval_date
        from {EVAL} r where ${open} and r.outcome = 'eligible' and a.amount_azn <> r.amount and a.period_from >= $2::date returning 1`, [id, today, rule.version]);
    // Amount changed during the period: end the old one today, then a new one from today.
    await run(`
      update benefit_assignments a set status = 'ended', ended_at = now(), ended_reason = 'recalculated', period_to = $2::date
        from {EVAL} r where ${open} and r.outcome = 'eligible' and a.amount_azn <> r.amount and a.period_from < $2::date`, [id, today]);
    const re = await run(`
      with x as (
        insert into benefit_assignments (citizen_id, benefit_id, subject_key, rule_version, payment, amount_azn, period_from, period_to, eval_date, parameters, offer_id)
        select r.citizen_id, $1, r.subject_key, $3, 'monthly', r.amount, $2::date, case when r.period_to > $2::date then r.period_to end, r.eval_date, r.parameters, a.offer_id
          from {EVAL} r join benefit_assignments a on a.benefit_id = $1 and ${match} and a.ended_reason = 'recalculated' and a.period_to = $2::date
         where r.outcome = 'eligible' and not exists (select 1 from benefit_assignments o where o.benefit_id = $1 and o.citizen_id = r.citizen_id
                 and o.subject_key = r.subject_key and (o.period_to is null or o.period_to > $2::date))
        returning citizen_id, assignment_id)
      insert into benefit_notifications (citizen_id, kind, benefit_id, decision_id) select citizen_id, 'recalculated', $1, assignment_id from x returning 1`, [id, today, rule.version]);
    recalculated = re.rows.length + inPlace.rows.length;
  }

  // New decisions: eligible, with a recipient, and nothing already covering the period.
  // A one-off allowance is paid once per subject (a child's birth): a birth re-registered with a
  // corrected date moves its period, and must not pay again.
  const fresh = `r.outcome = 'eligible' and r.citizen_id is not null and (${periodTo} is null or ${periodTo} > r.period_from)
      and not exists (select 1 from benefit_assignments a where a.benefit_id = $1 and ${match}
                        ${oneOff ? '' : `and daterange(a.period_from, a.period_to) && daterange(r.period_from, ${periodTo})`})`;
  let assigned = 0;
  let offered = 0;
  if (rule.consent === 'not_required') {
    const a = await run(`
      with x as (
        insert into benefit_assignments (citizen_id, benefit_id, subject_key, rule_version, payment, amount_azn, period_from, period_to, eval_date, parameters)
        select r.citizen_id, $1, r.subject_key, $2, $3, r.amount, r.period_from, ${periodTo}, r.eval_date, r.parameters from {EVAL} r where ${fresh}
        returning citizen_id, assignment_id)
      insert into benefit_notifications (citizen_id, kind, benefit_id, decision_id) select citizen_id, 'assigned', $1, assignment_id from x returning 1`, [id, rule.version, rule.payment]);
    assigned = a.rows.length;
  } else {
    const o = await run(`
      with x as (
        insert into benefit_offers (citizen_id, benefit_id, subject_key, rule_version, amount_azn, period_from, period_to, eval_date, parameters)
        select r.citizen_id, $1, r.subject_key, $2, r.amount, r.period_from, r.period_to, r.eval_date, r.parameters from {EVAL} r
         where ${fresh} and not exists (select 1 from benefit_offers a where a.benefit_id = $1 and ${match} and a.status = 'pending')
        returning citizen_id, offer_id)
      insert into benefit_notifications (citizen_id, kind, benefit_id, decision_id) select citizen_id, 'offered', $1, offer_id from x returning 1`, [id, rule.version]);
    offered = o.rows.length;
  }
  if (mode === 'table') await raw(trx, `drop table ${EVAL}`);
  return { ...stats, assigned, offered, ended, recalculated, withdrawn: withdrawn.rows.length };
}

/**
 * Ends the decisions of a rule whose basis was cancelled: for the citizens an event of the rule's
 * subject type was about (the child of a birth, the deceased, the assessed person) that have no
 * effective event of that type left. An open assignment is ended today with ended_reason
 * 'basis_cancelled'; every assignment on that basis that paid something (a one-off allowance, the
 * months of a monthly one begun up to today) is flagged recovery_status 'due' with what it paid —
 * never deleted. A pending offer is withdrawn. Idempotent (flagged ones are not touched again).
 */
export async function endWithoutBasis(trx: Db, rule: Rule, aboutIds: number[], today: string): Promise<{ ended: number; withdrawn: number }> {
  const type = rule.subject;
  if (type === 'person' || type === 'household') return { ended: 0, withdrawn: 0 };
  const who = type === 'birth' ? `a.subject_key = 'child:' || g.id` : type === 'death' ? `a.subject_key = 'deceased:' || g.id`
    : `a.citizen_id = g.id and a.subject_key = 'person'`;
  const gone = `(select x.id from unnest($2::bigint[]) x(id) where not exists (select 1 from life_events e where e.citizen_id = x.id and e.type = $4::text
       and e.kind <> 'cancellation' and not exists (select 1 from life_events s where s.citizen_id = e.citizen_id and s.supersedes_event_id = e.event_id))) g`;
  const paid = `(case when a.payment = 'one_off' then (case when a.period_from <= $3::date then a.amount_azn else 0 end)
       else a.amount_azn * (select count(*) from generate_series(a.period_from::timestamp, least($3::date, coalesce(a.period_to - 1, $3::date))::timestamp, interval '1 month')) end)`;
  // Still running (a monthly one not yet over) or a one-off never ended: ended now; a monthly one
  // already over keeps its end and is only flagged.
  const open = `(a.status = 'active' and a.payment = 'monthly' and (a.period_to is null or a.period_to > $3::date))`;
  const live = `(${open} or (a.status = 'active' and a.payment = 'one_off'))`;
  const e = await raw(trx, `
    with x as (
      update benefit_assignments a set
             status = case when ${live} then 'ended' else a.status end,
             ended_at = case when ${live} then now() else a.ended_at end,
             ended_reason = case when ${live} then 'basis_cancelled' else a.ended_reason end,
             period_to = case when ${open} then (case when a.period_from < $3::date then $3::date else a.period_from + 1 end) else a.period_to end,
             recovery_status = case when ${paid} > 0 then 'due' end,
             recovery_amount_azn = case when ${paid} > 0 then ${paid} end
        from ${gone}
       where a.benefit_id = $1 and ${who} and a.recovery_status is null and a.ended_reason is distinct from 'basis_cancelled'
      returning a.citizen_id, a.assignment_id, a.status)
    insert into benefit_notifications (citizen_id, kind, benefit_id, decision_id) select citizen_id, 'ended', $1, assignment_id from x where status = 'ended' returning 1`,
    [rule.id, aboutIds, today, type]);
  const w = await raw(trx, `
    update benefit_offers a set status = 'withdrawn', decided_at = now() from ${gone}
     where a.benefit_id = $1 and ${who} and a.status = 'pending' and $3::date is not null returning 1`, [rule.id, aboutIds, today, type]);
  return { ended: e.rows.length, withdrawn: w.rows.length };
}

/** Runs a compiled query and returns its rows. */
export const runCompiled = async <R>(db: Db, q: { text: string; values: unknown[] }): Promise<R[]> => (await raw<R>(db, q.text, q.values)).rows;

/** A citizen's offers and assignments, newest first. */
export async function listCitizenDecisions(db: Db, citizenId: number) {
  const [offers, assignments] = await Promise.all([
    db.selectFrom('benefit_offers').selectAll().where('citizen_id', '=', citizenId).orderBy('offer_id', 'desc').execute(),
    db.selectFrom('benefit_assignments').selectAll().where('citizen_id', '=', citizenId).orderBy('assignment_id', 'desc').execute(),
  ]);
  return { offers, assignments };
}

/** An offer, locked for the decision. */
export const findOfferForUpdate = (db: Db, offerId: number) =>
  db.selectFrom('benefit_offers').selectAll().where('offer_id', '=', offerId).forUpdate().executeTakeFirst();

/** Accepts an offer: marks it and creates the assignment (the trigger refuses an overlap). */
export async function acceptOffer(trx: Db, payment: 'one_off' | 'monthly', offer: { citizen_id: number; offer_id: number; benefit_id: string; subject_key: string; rule_version: number; amount_azn: number; period_from: string; period_to: string | null; eval_date: string; parameters: UsedParameters }) {
  await trx.updateTable('benefit_offers').set({ status: 'accepted', decided_at: new Date() })
    .where('citizen_id', '=', offer.citizen_id).where('offer_id', '=', offer.offer_id).execute();
  const a = await trx.insertInto('benefit_assignments').values({
    citizen_id: offer.citizen_id, benefit_id: offer.benefit_id, subject_key: offer.subject_key, rule_version: offer.rule_version, payment,
    amount_azn: offer.amount_azn, period_from: offer.period_from, period_to: offer.period_to, eval_date: offer.eval_date,
    parameters: JSON.stringify(offer.parameters), offer_id: offer.offer_id,
  }).returningAll().executeTakeFirstOrThrow();
  await trx.insertInto('benefit_notifications').values({ citizen_id: a.citizen_id, kind: 'assigned', benefit_id: a.benefit_id, decision_id: a.assignment_id }).execute();
  return a;
}

/** Assignments that overlap another of the same benefit, person and subject (must be none). */
export const countOverlaps = async (db: Db): Promise<number> => Number((await raw<{ n: number }>(db, `
  select count(*)::int as n from benefit_assignments a join benefit_assignments b
    on a.citizen_id = b.citizen_id and a.benefit_id = b.benefit_id and a.subject_key = b.subject_key and a.assignment_id < b.assignment_id
   where daterange(a.period_from, a.period_to) && daterange(b.period_from, b.period_to)`)).rows[0]!.n);

/** The region of each citizen, for simulations by region (the facts rows carry it too). */
export const listRegions = (db: Db) => db.selectFrom('regions').select(['region_code', 'name_az', 'name_ru', 'name_en']).orderBy('region_code').execute();
