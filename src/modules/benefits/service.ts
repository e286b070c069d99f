import { recordAudit } from '../../platform/audit.ts';
import { bakuDate } from '../../platform/calendar.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { hasRole } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, notFound, validationError } from '../../platform/errors.ts';
import type { DomainEvents } from '../../platform/events.ts';
import type { Locale } from '../../platform/i18n.ts';
import { createNotifier, type Notifier } from '../../platform/notify.ts';
import {
  createOutboxDispatcher, type OutboxBatchHandlers, type OutboxDispatcher, type OutboxDispatcherOptions, type OutboxHandlers,
} from '../../platform/outbox.ts';
import {
  Binder, FACTS, compileRule, evaluateRule, factsQuery, loadRuleBook, ruleFacts, ruleParams,
  type Evaluation, type FactName, type Facts, type Rule, type RuleBook, type SubjectFilter, type Value,
} from '../../rules/index.ts';
import * as repo from './repository.ts';

let book: Promise<RuleBook> | undefined;
/** The checked rules and parameters, loaded once per process; a broken file rejects (and stops the server). */
export const getRuleBook = (): Promise<RuleBook> => (book ??= loadRuleBook().catch((e: unknown) => { book = undefined; throw e; }));

/** Today in Baku, the date decisions are made at. */
export const todayOf = (ctx: Pick<AppContext, 'now'>) => bakuDate(ctx.now());

/** One facts row as the JS evaluator reads it. */
export interface FactsRow { subject_key: string; citizen_id: number | null; about_id: number; region_code: string; eval_date: string; facts: Facts }

/** Reads the facts rows of a rule's subject (the same query the SQL compilation wraps). */
export async function loadFacts(db: Db, rule: Rule, today: string, filter?: SubjectFilter): Promise<FactsRow[]> {
  const b = new Binder();
  const text = factsQuery(b, { subject: rule.subject, evaluateAt: rule.evaluateAt, today, from: rule.effective.from, to: rule.effective.to, filter });
  const rows = await repo.runCompiled<Record<string, unknown>>(db, { text, values: b.values });
  return rows.map((r) => ({
    subject_key: r.subject_key as string, citizen_id: r.citizen_id === null ? null : Number(r.citizen_id), about_id: Number(r.about_id),
    region_code: r.region_code as string, eval_date: r.eval_date as string,
    facts: Object.fromEntries(Object.keys(FACTS).filter((k) => k in r).map((k) => [k, r[k] as Value])) as Partial<Record<FactName, Value>>,
  }));
}

/** Evaluates a rule with the JS evaluator (full trace) for the subjects of some citizens. */
export async function evaluateWithTrace(db: Db, rb: RuleBook, rule: Rule, today: string, filter: SubjectFilter) {
  const rows = await loadFacts(db, rule, today, filter);
  return rows.map((r) => ({ subjectKey: r.subject_key, citizenId: r.citizen_id, regionCode: r.region_code, evaluation: evaluateRule(rule, r.facts, rb.params, today) }));
}

/**
 * Evaluates one rule inside the database (the SQL compilation) and turns the results into
 * decisions in one transaction. Idempotent: applying it again the same day changes nothing.
 */
export async function applyRule(db: Db, rb: RuleBook, rule: Rule, today: string, filter?: SubjectFilter): Promise<repo.ApplyStats> {
  const compiled = compileRule(rule, rb.params, { today, filter, decisiveOnly: true });
  // A filtered evaluation (one event's subjects) is small: its results travel as a parameter instead of a temp table.
  const mode = filter ? 'rows' : 'table';
  if (db.isTransaction) return repo.applyDecisions(db, rule, compiled, today, mode);
  return db.transaction().execute((trx) => repo.applyDecisions(trx, rule, compiled, today, mode));
}

/** Result of a sweep, per rule. */
export type SweepResult = Record<string, repo.ApplyStats>;

/** A rule a sweep could not apply, and why (its decisions are left as they were). */
export interface FailedRule { benefit: string; error: string }

/**
 * Re-evaluates every benefit for everyone (set-based, one query per rule); safe to run any number
 * of times. Each rule is applied in its own transaction: one that fails is rolled back, recorded in
 * `failed` (when given) and the sweep goes on with the others — one bad rule or subject never
 * stops the rest (without `failed`, or inside a caller's transaction, the error is thrown).
 */
export async function sweep(db: Db, rb: RuleBook, today: string, onRule?: (ruleId: string, done: number, total: number) => void, failed?: FailedRule[]): Promise<SweepResult> {
  const out: SweepResult = {};
  const rules = [...rb.byId.values()];
  for (const [i, rule] of rules.entries()) {
    try {
      out[rule.id] = await applyRule(db, rb, rule, today);
    } catch (e) {
      if (!failed || db.isTransaction) throw e;
      failed.push({ benefit: rule.id, error: e instanceof Error ? e.message : String(e) });
    }
    onRule?.(rule.id, i + 1, rules.length);
  }
  return out;
}

/** Reacts to a recorded life event: evaluates the rules that read its type, for the subjects it concerns. */
export function handleLifeEvent(db: Db, rb: RuleBook, e: DomainEvents['registry.life_event.recorded'], today: string): Promise<SweepResult> {
  return handleLifeEvents(db, rb, [e], today);
}

/**
 * Reacts to several recorded life events at once: each rule that reads one of their types is
 * evaluated once, for the subjects of all of them (the same decisions as one event at a time —
 * applying a rule is set-based and idempotent — with one query per rule instead of per event).
 */
export async function handleLifeEvents(db: Db, rb: RuleBook, events: readonly { citizenId: number; type: string; kind?: 'original' | 'correction' | 'cancellation' }[], today: string): Promise<SweepResult> {
  const out: SweepResult = {};
  for (const rule of rb.byId.values()) {
    const ids = [...new Set(events.filter((e) => rule.triggers.includes(e.type)).map((e) => e.citizenId))];
    if (!ids.length) continue;
    out[rule.id] = await applyRule(db, rb, rule, today, { aboutCitizenIds: ids });
    // A cancelled event leaves no facts row, so nothing above ends what it paid: decisions whose
    // basis (the event of the rule's subject type) has no effective event left are ended here.
    const cancelled = [...new Set(events.filter((e) => e.kind === 'cancellation' && e.type === rule.subject).map((e) => e.citizenId))];
    if (cancelled.length) {
      const done = await (db.isTransaction ? repo.endWithoutBasis(db, rule, cancelled, today)
        : db.transaction().execute((trx) => repo.endWithoutBasis(trx, rule, cancelled, today)));
      out[rule.id] = { ...out[rule.id]!, ended: out[rule.id]!.ended + done.ended, withdrawn: out[rule.id]!.withdrawn + done.withdrawn };
    }
  }
  return out;
}

/** Facts that depend on a household's members or income (read by rules whose subject is not the household). */
const HOUSEHOLD_FACTS: readonly FactName[] = ['household.receives_tsa', 'person.dependent_children'];

/**
 * Reacts to a change of a household (members joined or left, income declared): re-evaluates the
 * household rules (TSA) for it first, then the rules of other subjects that read household facts
 * (the under-one allowance reads whether the family receives TSA) for its citizens.
 */
export async function handleHouseholdChanged(db: Db, rb: RuleBook, e: DomainEvents['registry.household.changed'], today: string): Promise<SweepResult> {
  const out: SweepResult = {};
  const members = await db.selectFrom('household_members').select('citizen_id').where('household_id', '=', e.householdId).execute();
  const ids = [...new Set([...e.citizenIds, ...members.map((m) => Number(m.citizen_id))])];
  if (!ids.length) return out;
  const rules = [...rb.byId.values()];
  const household = rules.filter((r) => r.subject === 'household');
  const readers = rules.filter((r) => r.subject !== 'household' && ruleFacts(r).some((f) => HOUSEHOLD_FACTS.includes(f)));
  for (const rule of [...household, ...readers]) out[rule.id] = await applyRule(db, rb, rule, today, { aboutCitizenIds: ids });
  return out;
}

const ruleOf = (rb: RuleBook, id: string): Rule => {
  const r = rb.byId.get(id);
  if (!r) throw notFound(`benefit ${id}`);
  return r;
};

const pick = (l: { az: string; ru: string; en: string }, locale: Locale) => l[locale];

/** The signed-in citizen's offers and assignments, with the reasons in their language. */
export async function listMine(ctx: AppContext, actor: Actor) {
  if (actor.citizenId == null) throw notFound('citizen record for this user');
  const rb = await getRuleBook();
  const { offers, assignments } = await repo.listCitizenDecisions(ctx.db, actor.citizenId);
  await recordAudit(ctx.db, actor, { action: 'benefit.list_own', citizenId: actor.citizenId, resource: 'benefits/mine', purpose: 'citizen reads their own offers and assignments' });
  const name = (id: string) => (rb.byId.get(id) ? pick(rb.byId.get(id)!.name, actor.locale) : id);
  const legal = (id: string) => rb.byId.get(id)?.legalBasis ?? '';
  const reason = (id: string, amount: number, kind: 'offer' | 'assignment') => {
    const r = rb.byId.get(id);
    const passed = r ? r.conditions.map((c) => c.id).join(', ') : '';
    const text = {
      az: kind === 'offer' ? `Siz bu müavinət üçün uyğunsunuz (${amount} AZN); təsdiq etdikdən sonra təyin olunacaq` : `Reyestr məlumatları əsasında müraciətsiz təyin edilib (${amount} AZN)`,
      ru: kind === 'offer' ? `Вы имеете право на эту выплату (${amount} AZN); она будет назначена после вашего согласия` : `Назначено без заявления по данным реестра (${amount} AZN)`,
      en: kind === 'offer' ? `You qualify for this benefit (${amount} AZN); it is assigned once you confirm` : `Assigned without an application from registry data (${amount} AZN)`,
    };
    return { text: pick(text, actor.locale), conditions: passed };
  };
  return {
    offers: offers.map((o) => ({
      id: o.offer_id, benefit: o.benefit_id, name: name(o.benefit_id), status: o.status, amountAzn: o.amount_azn, periodFrom: o.period_from, periodTo: o.period_to,
      ruleVersion: o.rule_version, legalBasis: legal(o.benefit_id), reason: reason(o.benefit_id, o.amount_azn, 'offer').text, parameters: o.parameters,
    })),
    assignments: assignments.map((a) => ({
      id: a.assignment_id, benefit: a.benefit_id, name: name(a.benefit_id), status: a.status, payment: a.payment, amountAzn: a.amount_azn, periodFrom: a.period_from, periodTo: a.period_to,
      ruleVersion: a.rule_version, legalBasis: legal(a.benefit_id), reason: reason(a.benefit_id, a.amount_azn, 'assignment').text, endedReason: a.ended_reason, parameters: a.parameters,
    })),
  };
}

/**
 * A citizen's current benefits in short — active assignments and offers awaiting consent — for
 * other modules (the window operator sees them when a ticket is called). The caller audits.
 */
export async function listCurrentBenefits(db: Db, citizenId: number, locale: Locale) {
  const rb = await getRuleBook();
  const { offers, assignments } = await repo.listCitizenDecisions(db, citizenId);
  const name = (id: string) => (rb.byId.get(id) ? pick(rb.byId.get(id)!.name, locale) : id);
  return [
    ...assignments.filter((a) => a.status === 'active').map((a) => ({ kind: 'assignment' as const, benefit: a.benefit_id, name: name(a.benefit_id), amountAzn: a.amount_azn, periodFrom: a.period_from, periodTo: a.period_to })),
    ...offers.filter((o) => o.status === 'pending').map((o) => ({ kind: 'offer' as const, benefit: o.benefit_id, name: name(o.benefit_id), amountAzn: o.amount_azn, periodFrom: o.period_from, periodTo: o.period_to })),
  ];
}

/** The citizen confirms an offer in one step; it becomes an assignment. */
export async function consentToOffer(ctx: AppContext, actor: Actor, offerId: number) {
  if (actor.citizenId == null) throw notFound('citizen record for this user');
  const rb = await getRuleBook();
  return ctx.db.transaction().execute(async (trx) => {
    const offer = await repo.findOfferForUpdate(trx, offerId);
    if (!offer || offer.citizen_id !== actor.citizenId) throw notFound(`offer ${offerId}`);
    if (offer.status !== 'pending') throw new AppError('CONFLICT', { what: `offer is ${offer.status}` });
    const rule = rb.byId.get(offer.benefit_id);
    const payment = rule?.payment ?? 'monthly';
    const periodTo = payment === 'one_off' ? new Date(Date.parse(`${offer.period_from}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : offer.period_to;
    try {
      const a = await repo.acceptOffer(trx, payment, { ...offer, period_to: periodTo });
      await recordAudit(trx, actor, { action: 'benefit.consent', citizenId: offer.citizen_id, resource: `benefit-offers/${offerId}`, purpose: 'citizen consents to a proactive offer' });
      return { offerId, assignmentId: a.assignment_id, status: 'accepted' as const };
    } catch (e) {
      if ((e as { code?: string }).code === '23P01') throw new AppError('CONFLICT', { what: 'an assignment already covers this period' });
      throw e;
    }
  });
}

/** Who may ask why: the citizen about themself, and officers, 142 agents and admins about anyone. */
function assertMayExplain(actor: Actor, citizenId: number) {
  if (actor.citizenId === citizenId) return;
  if (hasRole(actor, 'officer', 'call_center_agent', 'admin')) return;
  throw new AppError('FORBIDDEN');
}

/** "Why?": the evaluation trace of a benefit for a citizen, today. Audited. */
export async function explain(ctx: AppContext, actor: Actor, citizenId: number, benefitId: string) {
  assertMayExplain(actor, citizenId);
  const rb = await getRuleBook();
  const rule = ruleOf(rb, benefitId);
  const today = todayOf(ctx);
  const found = await ctx.db.selectFrom('citizens').select('citizen_id').where('citizen_id', '=', citizenId).executeTakeFirst();
  if (!found) throw notFound(`citizen ${citizenId}`);
  const evaluations = await evaluateWithTrace(ctx.db, rb, rule, today, { beneficiaryIds: [citizenId] });
  await recordAudit(ctx.db, actor, { action: 'benefit.explain', citizenId, resource: `benefits/explain?benefit=${benefitId}`, purpose: 'explain a benefit decision' });
  return {
    citizenId, benefit: rule.id, ruleVersion: rule.version, name: pick(rule.name, actor.locale), legalBasis: rule.legalBasis, date: today, payment: rule.payment,
    subjects: evaluations.map((e) => toExplained(e.subjectKey, e.evaluation, actor.locale)),
  };
}

/** An evaluation as the API shows it, in one language. */
export function toExplained(subjectKey: string, e: Evaluation, locale: Locale) {
  return {
    subjectKey, outcome: e.outcome, amountAzn: e.amount, evalDate: e.evalDate, periodFrom: e.periodFrom, periodTo: e.periodTo, missing: e.missing,
    trace: e.trace.map((t) => ({
      condition: t.condition, result: t.result, facts: Object.fromEntries(Object.entries(t.facts).map(([k, v]) => [k, v === null ? null : String(v)])),
      parameters: t.parameters, legal: t.legal, explanation: t.explanation[locale],
    })),
    // How the amount was worked out: the parameters of the amount and period formulas with their dates and sources.
    amount: e.amountStep && {
      amountAzn: e.amountStep.amount, facts: Object.fromEntries(Object.entries(e.amountStep.facts).map(([k, v]) => [k, v === null ? null : String(v)])),
      parameters: e.amountStep.parameters, legal: e.amountStep.legal, explanation: e.amountStep.explanation[locale],
    },
  };
}

/** Every rule with its versions, effective dates, conditions and parameters (rules explorer). */
export async function listRules(locale: Locale) {
  const rb = await getRuleBook();
  return {
    items: [...rb.byId.values()].map((latest) => ({
      id: latest.id, name: pick(latest.name, locale), legalBasis: latest.legalBasis, consent: latest.consent, payment: latest.payment,
      subject: latest.subject, triggers: latest.triggers,
      versions: rb.rules.filter((r) => r.id === latest.id).map((r) => ({
        version: r.version, effectiveFrom: r.effective.from, effectiveTo: r.effective.to ?? null,
        conditions: r.conditions.map((c) => ({ id: c.id, legal: c.legal, explanation: pick(c.explain.pass, locale) })),
        parameters: ruleParams(r).map((name) => {
          const p = rb.params.parameters.get(name)!;
          return { name, unit: p.unit, description: p.description, values: p.values.map((v) => ({ from: v.from, value: v.value, unconfirmed: v.unconfirmed })) };
        }),
      })),
    })),
  };
}

/** What-if input: a parameter takes another value from a date; evaluated at that date. */
export interface SimulateInput { parameter: string; value: number; from: string }

/**
 * What if a parameter changed: evaluates every rule that reads it twice inside the database
 * (current parameters and changed ones, same compiled rules production uses) and counts who
 * gains and who loses, and the change in monthly cost, by region.
 */
export async function simulate(ctx: AppContext, actor: Actor, input: SimulateInput) {
  const rb = await getRuleBook();
  if (!rb.params.parameters.has(input.parameter)) throw validationError([{ field: '/parameter', code: 'enum', message: `unknown parameter ${input.parameter}` }]);
  const alt = rb.params.withOverride(input.parameter, input.from, input.value);
  const rules = [...rb.byId.values()].filter((r) => ruleParams(r).includes(input.parameter));
  const regions = await repo.listRegions(ctx.db);
  const byRegion = new Map(regions.map((r) => [r.region_code, { region: r.region_code, name: pick({ az: r.name_az, ru: r.name_ru, en: r.name_en }, actor.locale), gainers: 0, losers: 0, costChangeAzn: 0 }]));
  const perRule: { benefit: string; gainers: number; losers: number; costChangeAzn: number }[] = [];
  for (const rule of rules) {
    const b = new Binder();
    const base = compileRule(rule, rb.params, { today: input.from, binder: b });
    const changed = compileRule(rule, alt, { today: input.from, binder: b });
    const rows = await repo.runCompiled<{ region_code: string; gainers: number; losers: number; cost: number }>(ctx.db, {
      text: `with a as (${base.text}), b as (${changed.text})
        select a.region_code, count(*) filter (where b.outcome = 'eligible' and (a.outcome <> 'eligible' or b.amount > a.amount))::int as gainers,
               count(*) filter (where a.outcome = 'eligible' and (b.outcome <> 'eligible' or b.amount < a.amount))::int as losers,
               coalesce(sum(coalesce(case when b.outcome = 'eligible' then b.amount end, 0) - coalesce(case when a.outcome = 'eligible' then a.amount end, 0)), 0)::float8 as cost
          from a join b on a.subject_key = b.subject_key and a.about_id = b.about_id
         group by a.region_code`,
      values: b.values,
    });
    const total = { benefit: rule.id, gainers: 0, losers: 0, costChangeAzn: 0 };
    for (const r of rows) {
      const reg = byRegion.get(r.region_code);
      total.gainers += r.gainers; total.losers += r.losers; total.costChangeAzn += r.cost;
      if (reg) { reg.gainers += r.gainers; reg.losers += r.losers; reg.costChangeAzn += r.cost; }
    }
    total.costChangeAzn = Math.round(total.costChangeAzn * 100) / 100;
    perRule.push(total);
  }
  await recordAudit(ctx.db, actor, { action: 'benefit.simulate', citizenId: null, resource: `rules/simulate?parameter=${input.parameter}`, purpose: 'what-if analysis over the population' });
  const regionsOut = [...byRegion.values()].map((r) => ({ ...r, costChangeAzn: Math.round(r.costChangeAzn * 100) / 100 }));
  return {
    parameter: input.parameter, from: input.from, value: input.value, current: rb.params.at(input.parameter, input.from)?.value ?? null,
    gainers: perRule.reduce((s, r) => s + r.gainers, 0), losers: perRule.reduce((s, r) => s + r.losers, 0),
    costChangeAzn: Math.round(perRule.reduce((s, r) => s + r.costChangeAzn, 0) * 100) / 100,
    benefits: perRule, regions: regionsOut,
  };
}

/** The benefits module's outbox handlers: a recorded life event triggers the rules that read it. */
export function benefitsOutboxHandlers(now: () => Date): OutboxHandlers {
  return {
    'registry.life_event.recorded': async (trx, e) => {
      await handleLifeEvent(trx, await getRuleBook(), e.payload, bakuDate(now()));
    },
    // An agency's batch (originals, corrections, cancellations): the facts are read from the
    // effective events, so each kind is handled by re-evaluating the rules of its type.
    'registry.life_events.recorded': async (trx, e) => {
      await handleLifeEvents(trx, await getRuleBook(), e.payload.events, bakuDate(now()));
    },
    'registry.household.changed': async (trx, e) => {
      await handleHouseholdChanged(trx, await getRuleBook(), e.payload, bakuDate(now()));
    },
  };
}

/** The same, for a batch of events claimed together: one evaluation per rule for all their subjects. */
export function benefitsOutboxBatchHandlers(now: () => Date): OutboxBatchHandlers {
  return {
    'registry.life_event.recorded': async (trx, events) => {
      await handleLifeEvents(trx, await getRuleBook(), events.map((e) => e.payload), bakuDate(now()));
    },
    'registry.life_events.recorded': async (trx, events) => {
      await handleLifeEvents(trx, await getRuleBook(), events.flatMap((e) => e.payload.events), bakuDate(now()));
    },
  };
}

/** Dispatcher options for the benefits module: batches of events, woken by NOTIFY when a notifier is given. */
export const benefitsDispatcherOptions = (now: () => Date, notifier?: Notifier): OutboxDispatcherOptions =>
  ({ batchSize: 64, batchHandlers: benefitsOutboxBatchHandlers(now), ...(notifier && { notifier }) });

/**
 * Starts delivering outbox events to the benefits module in the background: woken on commit by
 * NOTIFY (its own listener connection, closed on stop), with polling as a fallback, and events
 * handled in batches.
 */
export function startBenefitsDispatcher(ctx: AppContext, opts: OutboxDispatcherOptions = {}): OutboxDispatcher {
  const notifier = opts.notifier ? undefined : createNotifier(ctx.database, ctx.logger);
  const d = createOutboxDispatcher(ctx.db, benefitsOutboxHandlers(ctx.now), { logger: ctx.logger, ...benefitsDispatcherOptions(ctx.now, notifier), ...opts });
  d.start();
  return {
    drain: () => d.drain(),
    start: () => d.start(),
    async stop() {
      await d.stop();
      await notifier?.close();
    },
  };
}
