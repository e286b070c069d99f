import { Emitter, HELPER_NAMES } from './codegen.ts';
import { FACTS, referencesOf, ruleFacts, ruleParams, type Expr, type FactName, type L, type Rule } from './language.ts';
import type { ParameterSet, ParameterSource } from './parameters.ts';

/** A value during evaluation; null means unknown (a missing fact or parameter). */
export type Value = number | string | boolean | null;

/** The facts of one subject (one row of the facts query), keyed by fact name. */
export type Facts = Partial<Record<FactName, Value>>;

export type Outcome = 'eligible' | 'not_eligible' | 'cannot_decide';

/** A parameter as used in a decision: its value, the date it has been in force from, and where the value comes from. */
export interface UsedParameter {
  readonly name: string;
  readonly value: number | null;
  readonly from: string | null;
  readonly unconfirmed: boolean;
  readonly sources: ParameterSource[];
}

/** One step of the explanation: a condition, what it read, what it gave, and the law. */
export interface TraceStep {
  condition: string;
  result: boolean | null;
  facts: Record<string, Value>;
  parameters: UsedParameter[];
  legal: string;
  explanation: L;
}

/** How the payment was worked out: the facts and parameters its amount and period formulas read, and the law. */
export interface AmountStep {
  /** The amount; null when it was not computed (a condition not met or undecided) or cannot be (a missing fact or parameter). */
  amount: number | null;
  facts: Record<string, Value>;
  /** The parameters of the amount and period formulas in force on the evaluation date, with their dates and sources. */
  parameters: UsedParameter[];
  legal: string;
  explanation: L;
}

/** The result of evaluating one rule for one subject. */
export interface Evaluation {
  ruleId: string;
  ruleVersion: number;
  evalDate: string;
  outcome: Outcome;
  amount: number | null;
  periodFrom: string | null;
  periodTo: string | null;
  missing: string[];
  /** One step per condition, in the rule's order. */
  trace: TraceStep[];
  /** The amount and period; null when the rule is not in force on the date. */
  amountStep: AmountStep | null;
  /** Every parameter the rule reads (conditions, amount, period) as in force on the evaluation date. */
  parameters: UsedParameter[];
}

/** The digit at position i of a string. */
const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;

/** Completed months from a to b (YYYY-MM-DD); the same formula as the SQL compilation. */
export function monthsBetweenDates(a: string, b: string): number {
  // YYYY-MM-DD read digit by digit: this runs for every age test, so no substrings (and no
  // closures: under tsx's keep-names each closure made per call costs a defineProperty) are made.
  const ya = digit(a, 0) * 1000 + digit(a, 1) * 100 + digit(a, 2) * 10 + digit(a, 3);
  const yb = digit(b, 0) * 1000 + digit(b, 1) * 100 + digit(b, 2) * 10 + digit(b, 3);
  const months = (yb - ya) * 12 + (digit(b, 5) * 10 + digit(b, 6)) - (digit(a, 5) * 10 + digit(a, 6));
  return months - (digit(b, 8) * 10 + digit(b, 9) < digit(a, 8) * 10 + digit(a, 9) ? 1 : 0);
}

/** Date plus months, clamped to the end of the month, as PostgreSQL's `date + interval`. */
export function addMonthsToDate(d: string, months: number): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/** Date plus whole days (negative: minus), as PostgreSQL's `date + integer`. */
export function addDaysToDate(d: string, days: number): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Rounds half up to cents: the same float operations as the SQL compilation. */
export const roundCents = (x: number): number => Math.floor(x * 100 + 0.5) / 100;

/** The functions generated code calls (see codegen.ts). */
const HELPERS: Record<(typeof HELPER_NAMES)[number], unknown> = { MB: monthsBetweenDates, AM: addMonthsToDate, AD: addDaysToDate, RC: roundCents };
const HELPER_PRELUDE = `"use strict";\nconst { ${HELPER_NAMES.join(', ')} } = H;\n`;

/** The statements that read each fact once into a local (`a<i>` as given, `f<i>` with undefined as null). */
function readFacts(names: readonly string[], normalised: number): string[] {
  return names.flatMap((n, i) => [`const a${i} = F[${JSON.stringify(n)}];`, ...(i < normalised ? [`const f${i} = a${i} === undefined ? null : a${i};`] : [])]);
}

/** A parameter in force at a date, as a decision records it; frozen, since evaluations share it. */
const usedParameter = (name: string, v: { value: number; from: string; unconfirmed: boolean; sources: ParameterSource[] } | undefined): UsedParameter =>
  Object.freeze({ name, value: v?.value ?? null, from: v?.from ?? null, unconfirmed: v?.unconfirmed ?? false, sources: v?.sources ?? [] });

const paramCache = new WeakMap<ParameterSet, Map<string, Map<string, UsedParameter>>>();
/** Every parameter's value in force on a date, computed once per parameter set and date. */
function parametersAt(params: ParameterSet, date: string): Map<string, UsedParameter> {
  let byDate = paramCache.get(params);
  if (!byDate) paramCache.set(params, (byDate = new Map()));
  let m = byDate.get(date);
  if (!m) {
    m = new Map();
    for (const name of params.parameters.keys()) m.set(name, usedParameter(name, params.at(name, date)));
    if (byDate.size > 1000) byDate.clear();
    byDate.set(date, m);
  }
  return m;
}
const parameterAt = (pv: Map<string, UsedParameter>, name: string): UsedParameter => pv.get(name) ?? usedParameter(name, undefined);

type ExprFn = (F: Facts, P: (number | null)[], D: string, T: string) => Value;
const exprCache = new WeakMap<Expr, { fn: ExprFn; params: string[] }>();

/** Evaluates an expression over facts and parameters at a date (three-valued, like SQL). */
export function evalExpr(e: Expr, facts: Facts, params: ParameterSet, date: string, today: string = date): Value {
  let c = exprCache.get(e);
  if (!c) {
    const refs = referencesOf(e);
    const facts = [...refs.facts];
    const names = [...refs.params];
    const em = new Emitter((f) => `f${facts.indexOf(f)}`, (p) => `p${names.indexOf(p)}`, 'D', 'T');
    const x = em.expr(e);
    const src = `${HELPER_PRELUDE}return function (F, P, D, T) {\n${[...readFacts(facts, facts.length), ...names.map((_, i) => `const p${i} = P[${i}];`), em.source].join('\n')}\nreturn ${x};\n};`;
    c = { fn: new Function('H', 'K', src)(HELPERS, em.consts) as ExprFn, params: names };
    exprCache.set(e, c);
  }
  const pv = parametersAt(params, date);
  return c.fn(facts, c.params.map((p) => parameterAt(pv, p).value), date, today);
}

/**
 * A placeholder of an explanation, resolved when the rule is compiled: the index of the
 * condition's parameter it names, or the slot of the captured fact (`own`: a fact the condition
 * reads), or neither.
 */
interface Hole { name: string; param: number; slot: number; own: boolean }
/** A text split at its `{name}` placeholders: text, hole, text, …, text. */
type Parts = (string | Hole)[];
interface Split { az: Parts; ru: Parts; en: Parts }
const PLACEHOLDER_SPLIT = /\{([a-z_.]+)\}/;
const NOWHERE = (name: string): Hole => ({ name, param: -1, slot: -1, own: false });
/** Splits a text in every language; `resolve` says where each placeholder's value is. */
const split = (t: L, resolve: (name: string) => Hole = NOWHERE): Split => {
  const parts = (s: string): Parts => s.split(PLACEHOLDER_SPLIT).map((x, k) => (k % 2 === 1 ? resolve(x) : x));
  return { az: parts(t.az), ru: parts(t.ru), en: parts(t.en) };
};

const MISSING = split({ az: 'Qərar vermək mümkün deyil: çatışmır {missing}', ru: 'Невозможно решить: не хватает {missing}', en: 'Cannot decide: missing {missing}' });
const AMOUNT: Record<Rule['payment'], Split> = {
  one_off: split({ az: 'Məbləğ: {amount} AZN', ru: 'Сумма: {amount} AZN', en: 'Amount: {amount} AZN' }),
  monthly: split({ az: 'Məbləğ: ayda {amount} AZN', ru: 'Сумма: {amount} AZN в месяц', en: 'Amount: {amount} AZN a month' }),
};
const AMOUNT_NOT_COMPUTED = split({
  az: 'Məbləğ bütün şərtlər ödəndikdə hesablanır', ru: 'Сумма рассчитывается, когда выполнены все условия', en: 'The amount is computed once every condition is met',
});

/** The date a rule is evaluated at for a subject: the event's date, or the given date. */
export const evaluationDate = (rule: Rule, facts: Facts, today: string): string =>
  rule.evaluateAt === 'event' && typeof facts['event.date'] === 'string' ? facts['event.date'] : today;

/** The parameters of a rule at one date (with a parameter set), looked up once and shared by every evaluation there. */
interface Bundle {
  inForce: boolean;
  /** Values in the order of CompiledRule.params: what the generated function reads. */
  P: (number | null)[];
  perCondition: readonly (readonly UsedParameter[])[];
  /** Those of the amount and period formulas. */
  payment: readonly UsedParameter[];
  all: readonly UsedParameter[];
}

/**
 * A rule compiled once: one generated function that reads the facts, evaluates every condition,
 * the amount and the period, and returns the result with what it read (see RuleEvaluation).
 */
interface CompiledRule {
  rule: Rule;
  id: string;
  version: number;
  atEvent: boolean;
  /** Every parameter the rule reads; the generated function takes their values in this order. */
  params: string[];
  /**
   * What the result keeps of the facts, by name: every fact the rule reads, then those only its
   * explanations mention. Slot i of the captured values; the condition results follow.
   */
  slot: Map<string, number>;
  results: number;
  conds: { id: string; legal: string; pass: Split; fail: Split; facts: FactName[]; factSlots: number[]; params: string[] }[];
  amountFacts: FactName[];
  amountFactSlots: number[];
  amountParams: string[];
  /** What the amount and period formulas read. */
  paymentFacts: FactName[];
  paymentFactSlots: number[];
  paymentParams: string[];
  run: (F: Facts, P: (number | null)[], D: string, T: string, C: CompiledRule, B: Bundle) => RuleEvaluation;
  bundles: WeakMap<ParameterSet, Map<string, Bundle>>;
  lastParams?: ParameterSet;
  lastDate?: string;
  lastBundle?: Bundle;
}

const compiledCache = new WeakMap<Rule, CompiledRule>();
let lastRule: Rule | undefined;
let lastCompiled: CompiledRule | undefined;

function compiledOf(rule: Rule): CompiledRule {
  let c = compiledCache.get(rule);
  if (!c) compiledCache.set(rule, (c = compileRule(rule)));
  lastRule = rule;
  lastCompiled = c;
  return c;
}

const PLACEHOLDER = /\{([a-z_.]+)\}/g;

function compileRule(rule: Rule): CompiledRule {
  const params = ruleParams(rule);
  const facts: string[] = ruleFacts(rule);
  const readByRule = facts.length;
  for (const cond of rule.conditions) {
    for (const text of [cond.explain.pass, cond.explain.fail].flatMap((t) => [t.az, t.ru, t.en])) {
      for (const m of text.matchAll(PLACEHOLDER)) if (m[1]! in FACTS && !facts.includes(m[1]!)) facts.push(m[1]!);
    }
  }
  const slot = new Map(facts.map((f, i) => [f, i]));
  const em = new Emitter((f) => `f${slot.get(f)}`, (p) => `p${params.indexOf(p)}`, 'D', 'T');
  const results = rule.conditions.map((cond, j) => {
    em.line(`let r${j};`);
    em.line('{');
    const x = em.expr(cond.when);
    em.line(`r${j} = ${x};`);
    em.line('}');
    return `r${j}`;
  });
  em.line('let o = "eligible", m = null, pf = null, pt = null;');
  if (results.length > 0) {
    em.line(`if (${results.map((r) => `${r} === false`).join(' || ')}) o = "not_eligible";`);
    em.line(`else if (${results.map((r) => `${r} === null`).join(' || ')}) o = "cannot_decide";`);
    em.line('else {');
  }
  const amount = em.expr(rule.amount);
  em.line(`m = ${amount};`);
  em.line('if (m === null) o = "cannot_decide";');
  em.line('else {');
  if (rule.periodFrom) { const x = em.expr(rule.periodFrom); em.line(`pf = ${x};`); } else em.line('pf = D;');
  if (rule.payment !== 'one_off' && rule.periodTo) { const x = em.expr(rule.periodTo); em.line(`pt = ${x};`); }
  em.line('}');
  if (results.length > 0) em.line('}');
  em.line(`return new R(C, B, D, o, m, pf, pt, [${[...facts.map((_, i) => `a${i}`), ...results].join(', ')}]);`);
  const body = [...readFacts(facts, readByRule), ...params.map((_, i) => `const p${i} = P[${i}];`), em.source].join('\n');
  const src = `${HELPER_PRELUDE}return function rule_${rule.id.replace(/[^A-Za-z0-9_]/g, '_')}(F, P, D, T, C, B) {\n${body}\n};`;
  const run = new Function('H', 'K', 'R', src)(HELPERS, em.consts, RuleEvaluation) as CompiledRule['run'];

  const slotOf = (f: string) => slot.get(f)!;
  const amountRefs = refsOf(rule.amount);
  const paymentRefs = refsOf(rule.amount, rule.periodFrom, rule.periodTo);
  return {
    rule, id: rule.id, version: rule.version, atEvent: rule.evaluateAt === 'event', params, slot, results: facts.length,
    conds: rule.conditions.map((cond) => {
      const r = refsOf(cond.when);
      const resolve = (name: string): Hole => ({ name, param: r.params.indexOf(name), slot: slot.get(name) ?? -1, own: (r.facts as string[]).includes(name) });
      return {
        id: cond.id, legal: cond.legal, pass: split(cond.explain.pass, resolve), fail: split(cond.explain.fail, resolve),
        facts: r.facts, factSlots: r.facts.map(slotOf), params: r.params,
      };
    }),
    amountFacts: amountRefs.facts, amountFactSlots: amountRefs.facts.map(slotOf), amountParams: amountRefs.params,
    paymentFacts: paymentRefs.facts, paymentFactSlots: paymentRefs.facts.map(slotOf), paymentParams: paymentRefs.params,
    run, bundles: new WeakMap(),
  };
}

/** The facts and parameters some expressions read, in order of first use. */
function refsOf(...es: (Expr | undefined)[]): { facts: FactName[]; params: string[] } {
  const out = { facts: new Set<FactName>(), params: new Set<string>() };
  for (const e of es) if (e) referencesOf(e, out);
  return { facts: [...out.facts], params: [...out.params] };
}

/** The parameters of a compiled rule at a date, looked up once per parameter set and date. */
function bundleOf(c: CompiledRule, params: ParameterSet, date: string): Bundle {
  let byDate = c.bundles.get(params);
  if (!byDate) c.bundles.set(params, (byDate = new Map()));
  let b = byDate.get(date);
  if (!b) {
    const pv = parametersAt(params, date);
    const used = (names: Iterable<string>) => Object.freeze([...names].map((n) => parameterAt(pv, n)));
    const rule = c.rule;
    b = {
      inForce: date >= rule.effective.from && (!rule.effective.to || date < rule.effective.to),
      P: c.params.map((n) => parameterAt(pv, n).value),
      perCondition: Object.freeze(c.conds.map((cond) => used(cond.params))),
      payment: used(c.paymentParams),
      all: used(c.params),
    };
    if (byDate.size > 1000) byDate.clear();
    byDate.set(date, b);
  }
  c.lastParams = params;
  c.lastDate = date;
  c.lastBundle = b;
  return b;
}

/** A trace step; its explanation (three languages) is rendered when first read. */
class Step implements TraceStep {
  private rendered: L | undefined = undefined;
  constructor(readonly condition: string, readonly result: boolean | null, readonly facts: Record<string, Value>, readonly parameters: UsedParameter[],
    readonly legal: string, private readonly e: RuleEvaluation, private readonly i: number) {}
  get explanation(): L { return (this.rendered ??= this.e.explain(this.i)); }
  toJSON() {
    return { condition: this.condition, result: this.result, facts: this.facts, parameters: this.parameters, legal: this.legal, explanation: this.explanation };
  }
}

/** The amount step; its explanation is rendered when first read. */
class Payment implements AmountStep {
  private rendered: L | undefined = undefined;
  constructor(readonly amount: number | null, readonly facts: Record<string, Value>, readonly parameters: UsedParameter[], readonly legal: string,
    private readonly e: RuleEvaluation) {}
  get explanation(): L { return (this.rendered ??= this.e.explain(-1)); }
  toJSON() { return { amount: this.amount, facts: this.facts, parameters: this.parameters, legal: this.legal, explanation: this.explanation }; }
}

/** What is worked out from the captured values on first read: the missing facts and the trace. */
interface Details { missing: string[]; stepMissing: string[]; amountMissing: string[]; amountTried: boolean; trace?: TraceStep[]; amountStep?: AmountStep; parameters?: UsedParameter[] }

/**
 * The result of the generated function. Evaluation keeps everything the trace shows — the value
 * of every fact the rule reads or its texts mention, each condition's result, and the parameter
 * values in force on the date (shared, frozen) — and builds the trace objects from them when
 * first read. Reading it later gives the same trace even if the caller's facts object changed.
 */
class RuleEvaluation implements Evaluation {
  private details: Details | undefined = undefined;
  constructor(private readonly c: CompiledRule, private readonly b: Bundle, readonly evalDate: string, readonly outcome: Outcome,
    readonly amount: number | null, readonly periodFrom: string | null, readonly periodTo: string | null, private readonly v: readonly unknown[]) {}

  get ruleId(): string { return this.c.id; }
  get ruleVersion(): number { return this.c.version; }
  get missing(): string[] { return this.outcome === 'cannot_decide' ? this.worked().missing : []; }
  get parameters(): UsedParameter[] { const d = this.worked(); return (d.parameters ??= [...this.b.all]); }

  /** A captured fact value, unknown as null. */
  private fact(slot: number): Value { return (this.v[slot] ?? null) as Value; }
  private result(i: number): boolean | null { return this.v[this.c.results + i] as boolean | null; }

  /** The missing facts and parameters, in the order the conditions (then the amount) met them, as the evaluator always listed them. */
  private worked(): Details {
    if (this.details) return this.details;
    const missing: string[] = [];
    const stepMissing: string[] = [];
    let amountTried = true;
    for (let i = 0; i < this.c.conds.length; i++) {
      const r = this.result(i);
      if (r === false) amountTried = false;
      else if (r === null) {
        amountTried = false;
        const cond = this.c.conds[i]!;
        for (let k = 0; k < cond.facts.length; k++) if (this.fact(cond.factSlots[k]!) === null && !missing.includes(cond.facts[k]!)) missing.push(cond.facts[k]!);
        for (const p of this.b.perCondition[i]!) if (p.value === null && !missing.includes(p.name)) missing.push(p.name);
      }
      stepMissing.push(r === null ? missing.join(', ') : '');
    }
    const amountMissing: string[] = [];
    if (amountTried && this.amount === null) {
      for (let k = 0; k < this.c.amountFacts.length; k++) if (this.fact(this.c.amountFactSlots[k]!) === null) amountMissing.push(this.c.amountFacts[k]!);
      for (const p of this.b.payment) if (this.c.amountParams.includes(p.name) && p.value === null) amountMissing.push(p.name);
      missing.push(...amountMissing);
    }
    return (this.details = { missing, stepMissing, amountMissing, amountTried });
  }

  private picked(names: readonly string[], slots: readonly number[]): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (let k = 0; k < names.length; k++) out[names[k]!] = this.fact(slots[k]!);
    return out;
  }

  get trace(): TraceStep[] {
    const d = this.worked();
    if (d.trace) return d.trace;
    const trace: TraceStep[] = [];
    for (let i = 0; i < this.c.conds.length; i++) {
      const cond = this.c.conds[i]!;
      trace.push(new Step(cond.id, this.result(i), this.picked(cond.facts, cond.factSlots), [...this.b.perCondition[i]!], cond.legal, this, i));
    }
    return (d.trace = trace);
  }

  get amountStep(): AmountStep {
    const d = this.worked();
    return (d.amountStep ??= new Payment(d.amountTried ? this.amount : null, this.picked(this.c.paymentFacts, this.c.paymentFactSlots), [...this.b.payment], this.c.rule.legalBasis, this));
  }

  /** The explanation of condition i (of the amount for -1), in every language. */
  explain(i: number): L {
    const d = this.worked();
    const r = i < 0 ? null : this.result(i);
    const t = i < 0
      ? (!d.amountTried ? AMOUNT_NOT_COMPUTED : this.amount === null ? MISSING : AMOUNT[this.c.rule.payment])
      : r === null ? MISSING : r ? this.c.conds[i]!.pass : this.c.conds[i]!.fail;
    return { az: this.render(t.az, i), ru: this.render(t.ru, i), en: this.render(t.en, i) };
  }

  private render(parts: Parts, i: number): string {
    let out = parts[0] as string;
    for (let k = 1; k < parts.length; k += 2) {
      const h = parts[k] as Hole;
      const v = this.placeholder(i, h);
      out += (v === undefined ? `{${h.name}}` : v) + (parts[k + 1] as string);
    }
    return out;
  }

  /**
   * The text for a placeholder in the explanation of condition i (-1: the amount): a parameter
   * of the condition, a fact it read, or any other fact of the subject (a text may mention the
   * event date); unknown values show as '?'; a name that is none of these stays as it is.
   */
  private placeholder(i: number, h: Hole): string | undefined {
    const d = this.worked();
    if (i < 0) {
      if (h.name === 'amount' && this.amount !== null) return String(this.amount);
      return h.name === 'missing' ? d.amountMissing.join(', ') : undefined;
    }
    if (this.result(i) === null) return h.name === 'missing' ? d.stepMissing[i] : undefined;
    if (h.param >= 0) return String(this.b.perCondition[i]![h.param]!.value ?? '?');
    if (h.slot < 0) return undefined;
    const v = this.v[h.slot] as Value | undefined;
    return v === undefined && !h.own ? undefined : String(v ?? '?');
  }

  toJSON() {
    return {
      ruleId: this.ruleId, ruleVersion: this.ruleVersion, evalDate: this.evalDate, outcome: this.outcome, amount: this.amount, periodFrom: this.periodFrom,
      periodTo: this.periodTo, missing: this.missing, trace: this.trace, amountStep: this.amountStep, parameters: this.parameters,
    };
  }
  [Symbol.for('nodejs.util.inspect.custom')]() { return this.toJSON(); }
}

/** The result for a date the rule is not in force on: not eligible, with that as the only step. */
function notInForce(c: CompiledRule, date: string): Evaluation {
  return {
    ruleId: c.id, ruleVersion: c.version, evalDate: date, outcome: 'not_eligible', amount: null, periodFrom: null, periodTo: null, missing: [], parameters: [],
    trace: [{ condition: 'in_force', result: false, facts: {}, parameters: [], legal: c.rule.legalBasis,
      explanation: { az: `Qayda ${date} tarixində qüvvədə deyil`, ru: `Правило не действует на ${date}`, en: `The rule is not in force on ${date}` } }],
    amountStep: null,
  };
}

/**
 * Evaluates a rule for one subject with a full trace. A false condition is enough for
 * not_eligible; otherwise any unknown condition (or an unknown amount) gives cannot_decide with
 * the facts and parameters that are missing.
 */
export function evaluateRule(rule: Rule, facts: Facts, params: ParameterSet, today: string): Evaluation {
  const c = rule === lastRule ? lastCompiled! : compiledOf(rule);
  let date = today;
  if (c.atEvent) { const d = facts['event.date']; if (typeof d === 'string') date = d; }
  const b = c.lastParams === params && c.lastDate === date ? c.lastBundle! : bundleOf(c, params, date);
  if (!b.inForce) return notInForce(c, date);
  return c.run(facts, b.P, date, today, c, b);
}

/** The type of a fact, for the SQL compiler and the loader. */
export const factType = (name: FactName) => FACTS[name].type;
