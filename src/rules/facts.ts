/**
 * The facts query: for one subject kind, one row per subject with the beneficiary, the
 * evaluation date and every fact of that kind, computed in SQL in this one place. The SQL
 * compilation wraps it; the JS evaluator reads the same rows (one citizen's, or everyone's in the
 * differential test). Life-event data written by the API (camelCase) and by the population
 * generator (snake_case) are both read here, and the generator's reason names are mapped to the
 * registry's.
 */
import { FACTS, type FactName, type Subject } from './language.ts';

/** Collects positional parameters for a query text. */
export class Binder {
  readonly values: unknown[] = [];
  /** A placeholder for a value, cast to the given SQL type. */
  bind(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/** Which subjects to read: all, or those of some beneficiaries, or those about some citizens. */
export interface SubjectFilter {
  beneficiaryIds?: number[];
  /** Citizens the subject is about (the child of a birth, the deceased, the person) or their household. */
  aboutCitizenIds?: number[];
}

const SQL_TYPE = { number: 'float8', date: 'date', boolean: 'boolean', text: 'text' } as const;

/** A fact's column name in the facts query. */
export const factColumn = (f: FactName): string => `"${f}"`;

const alive = (alias: string) => `(${alias}.death_date is null or ${alias}.death_date > b.eval_date)`;
const member = (alias: string) => `(${alias}.joined_on <= b.eval_date and (${alias}.left_on is null or ${alias}.left_on > b.eval_date))`;
/**
 * An event in force: not a cancellation and not replaced by a later correction or cancellation
 * (the predicate of the view effective_life_events, inlined so the planner sees the index
 * life_events_superseded_key as an anti-join). Facts are read only from such events: a resent,
 * corrected or cancelled event never yields a second or stale subject.
 */
export const effective = (alias: string) => `(${alias}.kind <> 'cancellation' and not exists (select 1 from life_events sup
     where sup.citizen_id = ${alias}.citizen_id and sup.supersedes_event_id = ${alias}.event_id))`;
/**
 * One event of a type per citizen: the latest effective one by event id (a child has one birth, a
 * person one death — a resent event is a second row with the same facts).
 */
const onePerCitizen = (type: string) => `(select distinct on (e.citizen_id) e.* from life_events e
     where e.type = '${type}' and ${effective('e')} order by e.citizen_id, e.event_id desc)`;
/**
 * The latest life event of a type per citizen, up to {today}. For a few subjects (an event's) a
 * per-citizen LATERAL look-up through the primary key; for everyone (a sweep) one pass over the
 * events of that type (DISTINCT ON), joined by hash, instead of 100,000s of index look-ups.
 */
const latestAll = (type: string) => `(select distinct on (e.citizen_id) e.citizen_id, e.occurred_on, e.data from life_events e
     where e.type = '${type}' and e.occurred_on <= {today} and ${effective('e')} order by e.citizen_id, e.occurred_on desc, e.event_id desc)`;
const latestOne = (type: string, citizen: string) => `lateral (select e.occurred_on, e.data from life_events e
     where e.citizen_id = ${citizen} and e.type = '${type}' and e.occurred_on <= {today} and ${effective('e')} order by e.occurred_on desc, e.event_id desc limit 1)`;
const latestJoin = (kind: 'join' | 'left join', type: string, alias: string, citizen: string, whole: boolean) => whole
  ? `${kind} ${latestAll(type)} ${alias} on ${alias}.citizen_id = ${citizen}`
  : `${kind} ${latestOne(type, citizen)} ${alias} on true`;
/** The person's own columns, carried by the base row (no second join of citizens). */
const personCols = 'c.birth_date as p_birth_date, c.sex as p_sex, c.death_date as p_death_date';
const personAlive = '(b.p_death_date is null or b.p_death_date > b.eval_date)';
const childrenOf = `(select count(*)::float8 from household_members hm1
    join household_members hm2 on hm2.household_id = hm1.household_id and hm2.citizen_id <> hm1.citizen_id
    join citizens k on k.citizen_id = hm2.citizen_id
   where hm1.citizen_id = b.citizen_id and ${member('hm1')} and ${member('hm2')} and ${alive('k')}
     and k.birth_date > (b.eval_date - interval '18 years')::date)`;

/**
 * Per subject kind: the base rows (subject_key, beneficiary citizen_id, about_id, region_code,
 * event_date) and the SQL of each fact over `b` (the base row, with eval_date).
 */
function source(subject: Subject, whole = false): { base: string; joins: string; facts: Partial<Record<FactName, string>> } {
  switch (subject) {
    case 'person':
      return {
        base: `select 'person'::text as subject_key, c.citizen_id, c.citizen_id as about_id, d.region_code, null::date as event_date, ${personCols}
                 from citizens c join districts d on d.district_code = c.district_code`,
        joins: latestJoin('left join', 'insurance_record', 'ins', 'b.citizen_id', whole),
        facts: {
          'person.birth_date': 'b.p_birth_date',
          'person.sex': 'b.p_sex::text',
          'person.alive': personAlive,
          'person.insurance_months': `(ins.data->>'months')::float8`,
          'person.pension_capital': `coalesce(ins.data->>'pensionCapitalAzn', ins.data->>'pension_capital_azn')::float8`,
          'beneficiary.known': 'true',
        },
      };
    case 'household':
      return {
        base: `select 'household:' || h.household_id as subject_key, head.citizen_id, h.household_id as about_id, d.region_code, null::date as event_date, h.household_id
                 from households h join districts d on d.district_code = h.district_code
                 left join lateral (select hm.citizen_id from household_members hm join citizens m on m.citizen_id = hm.citizen_id
                   where hm.household_id = h.household_id and hm.left_on is null and m.death_date is null
                   order by (hm.relation = 'head') desc, (hm.relation = 'spouse') desc, m.birth_date, m.citizen_id limit 1) head on true`,
        joins: '',
        facts: {
          'household.size': `(select count(*)::float8 from household_members hm join citizens m on m.citizen_id = hm.citizen_id
                               where hm.household_id = b.household_id and ${member('hm')} and ${alive('m')})`,
          'household.monthly_income': `(select i.monthly_income_azn::float8 from household_income_declarations i
                               where i.household_id = b.household_id and i.declared_on <= b.eval_date order by i.declared_on desc, i.declaration_id desc limit 1)`,
          'beneficiary.known': 'b.citizen_id is not null',
        },
      };
    case 'birth':
      return {
        // The recipient: the mother, else the father, each by citizen id (the API's events and the
        // generator's) or by FIN (older generated data). One LATERAL probe per birth through the
        // primary key or the FIN index, stopping at the first found — not four joins of every citizen.
        base: `select 'child:' || e.citizen_id as subject_key, par.citizen_id,
                 e.citizen_id as about_id, d.region_code, e.occurred_on as event_date, e.data,
                 ch.birth_date as ch_birth_date, ch.death_date as ch_death_date
               from ${onePerCitizen('birth')} e join citizens ch on ch.citizen_id = e.citizen_id join districts d on d.district_code = ch.district_code
               left join lateral (
                 select p.citizen_id from citizens p where p.citizen_id = (e.data->>'motherCitizenId')::bigint
                 union all select p.citizen_id from citizens p where p.fin = (e.data->>'mother_fin')::bpchar
                 union all select p.citizen_id from citizens p where p.citizen_id = (e.data->>'fatherCitizenId')::bigint
                 union all select p.citizen_id from citizens p where p.fin = (e.data->>'father_fin')::bpchar
                 limit 1) par on true
               where true`,
        joins: '',
        facts: {
          'event.date': 'b.event_date',
          'event.stillbirth': `coalesce((b.data->>'stillbirth')::boolean, false)`,
          'child.birth_date': 'b.ch_birth_date',
          'child.alive': '(b.ch_death_date is null or b.ch_death_date > b.eval_date)',
          'household.receives_tsa': `exists (select 1 from household_members hm join benefit_assignments a
                 on a.benefit_id = 'targeted_social_assistance' and a.subject_key = 'household:' || hm.household_id
               where hm.citizen_id = b.citizen_id and ${member('hm')} and a.status = 'active'
                 and a.period_from <= b.eval_date and (a.period_to is null or a.period_to > b.eval_date))`,
          'beneficiary.known': 'b.citizen_id is not null',
        },
      };
    case 'death':
      return {
        base: `select 'deceased:' || e.citizen_id as subject_key,
                 (select hm2.citizen_id from household_members hm1
                    join household_members hm2 on hm2.household_id = hm1.household_id and hm2.citizen_id <> hm1.citizen_id
                    join citizens m on m.citizen_id = hm2.citizen_id
                   where hm1.citizen_id = e.citizen_id and hm1.joined_on <= e.occurred_on and (hm1.left_on is null or hm1.left_on >= e.occurred_on)
                     and hm2.joined_on <= e.occurred_on and (hm2.left_on is null or hm2.left_on > e.occurred_on)
                     and (m.death_date is null or m.death_date > e.occurred_on) and m.birth_date <= (e.occurred_on - interval '18 years')::date
                   -- the deceased's membership may end on the day of death (>=); the recipient's must go on
                   order by (hm2.relation = 'spouse') desc, (hm2.relation = 'head') desc, m.birth_date, m.citizen_id limit 1) as citizen_id,
                 e.citizen_id as about_id, d.region_code, e.occurred_on as event_date
               from ${onePerCitizen('death')} e join citizens dc on dc.citizen_id = e.citizen_id join districts d on d.district_code = dc.district_code`,
        joins: '',
        facts: { 'event.date': 'b.event_date', 'beneficiary.known': 'b.citizen_id is not null' },
      };
    case 'disability_assessment':
      return {
        base: `select 'person'::text as subject_key, c.citizen_id, c.citizen_id as about_id, d.region_code, da.occurred_on as event_date, da.data, ${personCols}
                 from citizens c join districts d on d.district_code = c.district_code
                 ${latestJoin('join', 'disability_assessment', 'da', 'c.citizen_id', whole)}`,
        joins: '',
        facts: {
          'event.date': 'b.event_date',
          'event.degree': `(b.data->>'degree')::float8`,
          'event.review_on': `coalesce(b.data->>'reviewOn', b.data->>'review_on')::date`,
          'person.birth_date': 'b.p_birth_date',
          'person.alive': personAlive,
          'beneficiary.known': 'true',
        },
      };
    case 'employment_end':
      return {
        base: `select 'person'::text as subject_key, c.citizen_id, c.citizen_id as about_id, d.region_code, ee.occurred_on as event_date, ee.data, ${personCols}
                 from citizens c join districts d on d.district_code = c.district_code
                 ${latestJoin('join', 'employment_end', 'ee', 'c.citizen_id', whole)}`,
        joins: latestJoin('left join', 'insurance_record', 'ins', 'b.citizen_id', whole),
        facts: {
          'event.date': 'b.event_date',
          'event.reason': `case b.data->>'reason' when 'staff_reduction' then 'staff_cut' when 'contract_expired' then 'fixed_term_end' else b.data->>'reason' end`,
          'event.average_wage': `coalesce(b.data->>'averageWageAzn', b.data->>'wage_azn')::float8`,
          'person.birth_date': 'b.p_birth_date',
          'person.alive': personAlive,
          'person.insurance_months': `(ins.data->>'months')::float8`,
          'person.dependent_children': childrenOf,
          'beneficiary.known': 'true',
        },
      };
  }
}

/**
 * Facts computed from the subject's own row (the event, the person, the child) or from it by one
 * index look-up (a household's latest income declaration, its size): a sweep may test conditions
 * over these before anything else is read (see `keep`).
 */
const BASE_FACTS: Record<Subject, readonly FactName[]> = {
  person: ['person.birth_date', 'person.sex', 'person.alive', 'beneficiary.known'],
  household: ['household.monthly_income', 'household.size'],
  birth: ['event.date', 'event.stillbirth', 'child.birth_date', 'child.alive'],
  death: ['event.date'],
  disability_assessment: ['event.date', 'event.degree', 'event.review_on', 'person.birth_date', 'person.alive', 'beneficiary.known'],
  employment_end: ['event.date', 'event.reason', 'event.average_wage', 'person.birth_date', 'person.alive', 'beneficiary.known'],
};

/** Whether one subject has at most one row per subject key (households, births, deaths), or one per citizen under the key 'person'. */
export const keyedByCitizen = (subject: Subject): boolean => subject === 'person' || subject === 'disability_assessment' || subject === 'employment_end';

/** The subject kinds that provide each fact, checked against FACTS at load (see loader.ts). */
export function factsProvided(subject: Subject): FactName[] {
  return Object.keys(source(subject).facts) as FactName[];
}

/**
 * The facts query for a subject kind: columns subject_key, citizen_id (beneficiary), about_id,
 * region_code, eval_date, and one column per fact. `evaluateAt` chooses the evaluation date
 * (the event's or `today`); rows are limited to evaluation dates in [from, to).
 */
export function factsQuery(b: Binder, opts: {
  subject: Subject; evaluateAt: 'event' | 'today'; today: string; from: string; to?: string; filter?: SubjectFilter;
  /**
   * Which rows to read (a sweep): those passing `early`, a predicate over the base row `b` built
   * from the SQL of the base facts (undefined for a fact that is not one), and those whose
   * about_id is among `openAboutIds` (a query) — applied before the other facts are read.
   */
  keep?: (baseFact: (f: FactName) => string | undefined) => { early: string; openAboutIds: string } | undefined;
}): string {
  // Without a filter every subject is read: set-based look-ups instead of per-subject ones.
  const s = source(opts.subject, !opts.filter);
  // Bound on first use: a placeholder no statement text refers to has no type (an error).
  let bound: string | undefined;
  const todayRef = () => (bound ??= b.bind(opts.today, 'date'));
  // Event subjects always have an event date: comparing it directly (not through coalesce) lets
  // the planner estimate "births since the rule took effect" from the statistics (1/3 of all
  // births otherwise, which turned index look-ups of the parents into hashes of every citizen).
  const eventDated = opts.subject !== 'person' && opts.subject !== 'household';
  const evalDate = opts.evaluateAt === 'event' ? (eventDated ? 'x.event_date' : `coalesce(x.event_date, ${todayRef()})`) : todayRef();
  const where = [`${evalDate} >= ${b.bind(opts.from, 'date')}`];
  if (opts.to) where.push(`${evalDate} < ${b.bind(opts.to, 'date')}`);
  if (opts.filter?.beneficiaryIds) where.push(`x.citizen_id = any(${b.bind(opts.filter.beneficiaryIds, 'bigint[]')})`);
  if (opts.filter?.aboutCitizenIds) {
    const ids = b.bind(opts.filter.aboutCitizenIds, 'bigint[]');
    where.push(opts.subject === 'household'
      ? `x.about_id in (select household_id from household_members where citizen_id = any(${ids}))`
      : `x.about_id = any(${ids})`);
  }
  const facts = Object.entries(s.facts).map(([f, expr]) => `(${expr})::${SQL_TYPE[FACTS[f as FactName].type]} as ${factColumn(f as FactName)}`);
  let rows = `(select x.*, ${evalDate} as eval_date from (${s.base.replaceAll('{today}', todayRef)}) x where ${where.join(' and ')})`;
  const keep = opts.keep?.((f) => (BASE_FACTS[opts.subject].includes(f) ? `(${s.facts[f]})` : undefined));
  // Two branches, so that each can be served by an index: the rows passing `early` (pushed down to
  // the scans: an age range on birth dates), and the few others with a decision open (a semi-join
  // from those decisions). Not fenced, so the planner pushes each predicate down.
  if (keep) {
    rows = `(select * from ${rows} b where ${keep.early}
      union all select * from ${rows} b where (${keep.early}) is not true and b.about_id in (${keep.openAboutIds}))`;
  }
  return `select b.subject_key, b.citizen_id, b.about_id, b.region_code, b.eval_date, ${facts.join(', ')}
    from ${rows} b ${s.joins.replaceAll('{today}', todayRef)}`;
}
