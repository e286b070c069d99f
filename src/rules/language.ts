/**
 * The rules language: benefits as plain data. A condition or an amount is a small typed
 * expression tree over facts (of the citizen, the household, the life event), legal parameters
 * (resolved at the evaluation date) and constants. The same tree is evaluated in JavaScript with a
 * trace (evaluate.ts) and compiled to one set-based SQL query (sql.ts); a differential test keeps
 * the two equal.
 *
 * Missing facts are NULL/undefined and propagate (three-valued logic, as SQL): a condition that
 * cannot be computed gives "cannot decide: missing X", never a wrong yes or no.
 */

/** Text in every language. */
export interface L { az: string; ru: string; en: string }

/** What a rule is evaluated for: one row per person, per household, or per life event of a type. */
export const SUBJECTS = ['person', 'household', 'birth', 'death', 'disability_assessment', 'employment_end'] as const;
export type Subject = (typeof SUBJECTS)[number];

export type FactType = 'number' | 'date' | 'boolean' | 'text';

/**
 * Every fact a rule may read, its type and the subjects that provide it. The SQL that computes
 * each fact is in facts.ts (one place); both compilations read the facts it returns.
 */
export const FACTS = {
  'person.birth_date': { type: 'date', subjects: ['person', 'employment_end', 'disability_assessment'], description: 'date of birth' },
  'person.sex': { type: 'text', subjects: ['person'], description: 'sex (M/F)' },
  'person.alive': { type: 'boolean', subjects: ['person', 'disability_assessment', 'employment_end'], description: 'alive on the evaluation date' },
  'person.insurance_months': { type: 'number', subjects: ['person', 'employment_end'], description: 'insurance record in months (latest DSMF record)' },
  'person.pension_capital': { type: 'number', subjects: ['person'], description: 'pension capital in AZN (latest DSMF record)' },
  'person.dependent_children': { type: 'number', subjects: ['employment_end'], description: 'living children under 18 in the household' },
  'household.size': { type: 'number', subjects: ['household'], description: 'living members of the household' },
  'household.monthly_income': { type: 'number', subjects: ['household'], description: 'declared average monthly income of the household' },
  'household.receives_tsa': { type: 'boolean', subjects: ['birth'], description: 'the family receives targeted social assistance' },
  'beneficiary.known': { type: 'boolean', subjects: SUBJECTS, description: 'a person to receive the payment is known' },
  'event.date': { type: 'date', subjects: ['birth', 'death', 'disability_assessment', 'employment_end'], description: 'date of the life event' },
  'event.stillbirth': { type: 'boolean', subjects: ['birth'], description: 'the birth was a stillbirth' },
  'child.birth_date': { type: 'date', subjects: ['birth'], description: 'the child\'s date of birth' },
  'child.alive': { type: 'boolean', subjects: ['birth'], description: 'the child is alive on the evaluation date' },
  'event.degree': { type: 'number', subjects: ['disability_assessment'], description: 'disability degree (1, 2, 3)' },
  'event.review_on': { type: 'date', subjects: ['disability_assessment'], description: 'date of the next disability review' },
  'event.reason': { type: 'text', subjects: ['employment_end'], description: 'reason the employment ended' },
  'event.average_wage': { type: 'number', subjects: ['employment_end'], description: 'average monthly wage of the lost job' },
} as const satisfies Record<string, { type: FactType; subjects: readonly Subject[]; description: string }>;
export type FactName = keyof typeof FACTS;

/** An expression. `evalDate` is the date the rule is evaluated at (the event date or today). */
export type Expr =
  | { fact: FactName }
  | { param: string }
  | { const: number | string | boolean }
  | { evalDate: true }
  /** The day of the evaluation run (a sweep's date), even when facts are taken at the event's date. */
  | { today: true }
  | { op: 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max'; args: Expr[] }
  | { op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'; args: [Expr, Expr] }
  | { op: 'and' | 'or'; args: Expr[] }
  | { op: 'not'; arg: Expr }
  | { op: 'known'; arg: Expr }
  | { op: 'in'; arg: Expr; values: (string | number)[] }
  | { op: 'if'; cond: Expr; then: Expr; else: Expr }
  /** Completed months from the first date to the second (a person born on 29 Feb turns a year older on 1 Mar). */
  | { op: 'monthsBetween'; from: Expr; to: Expr }
  /** Date plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
  | { op: 'addMonths'; arg: Expr; months: Expr }
  /** Date plus (or minus) whole days. */
  | { op: 'addDays'; arg: Expr; days: Expr }
  /** The first day of the date's month. */
  | { op: 'monthStart'; arg: Expr }
  /** Rounds half up to cents. */
  | { op: 'round2'; arg: Expr };

/** A condition of a benefit, with its plain-language explanation and legal reference. */
export interface Condition {
  id: string;
  when: Expr;
  /** Shown when the condition holds / does not hold; `{fact.name}` and `{param_name}` are replaced by their values. */
  explain: { pass: L; fail: L };
  legal: string;
}

/** A benefit rule, one version of it. */
export interface Rule {
  id: string;
  version: number;
  name: L;
  legalBasis: string;
  /** The rule applies to evaluations dated in [from, to). */
  effective: { from: string; to?: string };
  consent: 'required' | 'not_required';
  subject: Subject;
  /** At which date facts and parameters are taken: the event's date, or the evaluation date (sweeps: today). */
  evaluateAt: 'event' | 'today';
  /** Life-event types whose recording triggers an evaluation of this rule. */
  triggers: string[];
  payment: 'one_off' | 'monthly';
  conditions: Condition[];
  amount: Expr;
  /** First day of the assignment; the evaluation date by default. */
  periodFrom?: Expr;
  /** Day after the last day of a monthly assignment; open-ended when absent or unknown. */
  periodTo?: Expr;
}

// Builders: rules read as formulas, and stay plain data.
export const fact = (name: FactName): Expr => ({ fact: name });
export const param = (name: string): Expr => ({ param: name });
export const c = (value: number | string | boolean): Expr => ({ const: value });
export const evalDate: Expr = { evalDate: true };
export const today: Expr = { today: true };
export const add = (...args: Expr[]): Expr => ({ op: 'add', args });
export const sub = (...args: Expr[]): Expr => ({ op: 'sub', args });
export const mul = (...args: Expr[]): Expr => ({ op: 'mul', args });
export const div = (a: Expr, b: Expr): Expr => ({ op: 'div', args: [a, b] });
export const min = (...args: Expr[]): Expr => ({ op: 'min', args });
export const max = (...args: Expr[]): Expr => ({ op: 'max', args });
export const eq = (a: Expr, b: Expr): Expr => ({ op: 'eq', args: [a, b] });
export const ne = (a: Expr, b: Expr): Expr => ({ op: 'ne', args: [a, b] });
export const lt = (a: Expr, b: Expr): Expr => ({ op: 'lt', args: [a, b] });
export const le = (a: Expr, b: Expr): Expr => ({ op: 'le', args: [a, b] });
export const gt = (a: Expr, b: Expr): Expr => ({ op: 'gt', args: [a, b] });
export const ge = (a: Expr, b: Expr): Expr => ({ op: 'ge', args: [a, b] });
export const and = (...args: Expr[]): Expr => ({ op: 'and', args });
export const or = (...args: Expr[]): Expr => ({ op: 'or', args });
export const not = (arg: Expr): Expr => ({ op: 'not', arg });
export const known = (arg: Expr): Expr => ({ op: 'known', arg });
export const isIn = (arg: Expr, values: (string | number)[]): Expr => ({ op: 'in', arg, values });
export const ifThen = (cond: Expr, then: Expr, otherwise: Expr): Expr => ({ op: 'if', cond, then, else: otherwise });
export const monthsBetween = (from: Expr, to: Expr): Expr => ({ op: 'monthsBetween', from, to });
export const addMonths = (arg: Expr, months: Expr): Expr => ({ op: 'addMonths', arg, months });
export const addDays = (arg: Expr, days: Expr): Expr => ({ op: 'addDays', arg, days });
export const monthStart = (arg: Expr): Expr => ({ op: 'monthStart', arg });
export const round2 = (arg: Expr): Expr => ({ op: 'round2', arg });

/** The facts and parameters an expression reads, in order of first use. */
export function referencesOf(e: Expr, out = { facts: new Set<FactName>(), params: new Set<string>() }) {
  if ('fact' in e) out.facts.add(e.fact);
  else if ('param' in e) out.params.add(e.param);
  else if ('op' in e) {
    switch (e.op) {
      case 'not': case 'known': case 'in': case 'monthStart': case 'round2': referencesOf(e.arg, out); break;
      case 'if': referencesOf(e.cond, out); referencesOf(e.then, out); referencesOf(e.else, out); break;
      case 'monthsBetween': referencesOf(e.from, out); referencesOf(e.to, out); break;
      case 'addMonths': referencesOf(e.arg, out); referencesOf(e.months, out); break;
      case 'addDays': referencesOf(e.arg, out); referencesOf(e.days, out); break;
      default: for (const a of e.args) referencesOf(a, out);
    }
  }
  return out;
}

/** Every expression of a rule (conditions, amount, period). */
export const ruleExprs = (r: Rule): Expr[] => [...r.conditions.map((x) => x.when), r.amount, ...(r.periodFrom ? [r.periodFrom] : []), ...(r.periodTo ? [r.periodTo] : [])];

/** The parameters a rule reads. */
export function ruleParams(r: Rule): string[] {
  const refs = { facts: new Set<FactName>(), params: new Set<string>() };
  for (const e of ruleExprs(r)) referencesOf(e, refs);
  return [...refs.params];
}

/** The facts a rule reads. */
export function ruleFacts(r: Rule): FactName[] {
  const refs = { facts: new Set<FactName>(), params: new Set<string>() };
  for (const e of ruleExprs(r)) referencesOf(e, refs);
  return [...refs.facts];
}
