import { FACTS, referencesOf, type Condition, type Expr, type FactName, type L, type Rule } from './language.ts';
import type { ParameterSet } from './parameters.ts';

/** A value during evaluation; null means unknown (a missing fact or parameter). */
export type Value = number | string | boolean | null;

/** The facts of one subject (one row of the facts query), keyed by fact name. */
export type Facts = Partial<Record<FactName, Value>>;

export type Outcome = 'eligible' | 'not_eligible' | 'cannot_decide';

/** A parameter as used in a decision: its value and the date it has been in force from. */
export interface UsedParameter { name: string; value: number | null; from: string | null; unconfirmed: boolean }

/** One step of the explanation: a condition, what it read, what it gave, and the law. */
export interface TraceStep {
  condition: string;
  result: boolean | null;
  facts: Record<string, Value>;
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
  trace: TraceStep[];
  parameters: UsedParameter[];
}

const isNull = (v: Value): v is null => v === null || v === undefined;

/** Completed months from a to b (YYYY-MM-DD); the same formula as the SQL compilation. */
export function monthsBetweenDates(a: string, b: string): number {
  // YYYY-MM-DD read digit by digit: this runs for every age test, so no substrings are made.
  const d = (s: string, i: number) => s.charCodeAt(i) - 48;
  const ya = d(a, 0) * 1000 + d(a, 1) * 100 + d(a, 2) * 10 + d(a, 3);
  const yb = d(b, 0) * 1000 + d(b, 1) * 100 + d(b, 2) * 10 + d(b, 3);
  const months = (yb - ya) * 12 + (d(b, 5) * 10 + d(b, 6)) - (d(a, 5) * 10 + d(a, 6));
  return months - (d(b, 8) * 10 + d(b, 9) < d(a, 8) * 10 + d(a, 9) ? 1 : 0);
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

/** What a compiled expression reads: facts, parameter values in force at the date, the dates. */
interface Env { facts: Facts; pv: Map<string, UsedParameter>; date: string; today: string }
type Compiled = (env: Env) => Value;

const compiledCache = new WeakMap<Expr, Compiled>();

/**
 * Compiles an expression once into closures (three-valued, like SQL: null is unknown and
 * propagates; a false operand decides `and`, a true one decides `or`).
 */
function compile(e: Expr): Compiled {
  const hit = compiledCache.get(e);
  if (hit) return hit;
  const fn = build(e);
  compiledCache.set(e, fn);
  return fn;
}

function build(e: Expr): Compiled {
  if ('fact' in e) { const name = e.fact; return (env) => { const v = env.facts[name]; return isNull(v as Value) ? null : (v as Value); }; }
  if ('param' in e) { const name = e.param; return (env) => env.pv.get(name)?.value ?? null; }
  if ('const' in e) { const v = e.const; return () => v; }
  if ('evalDate' in e) return (env) => env.date;
  if ('today' in e) return (env) => env.today;
  switch (e.op) {
    case 'add': case 'sub': case 'mul': case 'div': case 'min': case 'max': {
      const args = e.args.map(compile);
      const op = e.op;
      return (env) => {
        const ns: number[] = [];
        for (const a of args) { const v = a(env); if (isNull(v)) return null; ns.push(v as number); }
        switch (op) {
          case 'add': return ns.reduce((s, x) => s + x);
          case 'sub': return ns.reduce((s, x) => s - x);
          case 'mul': return ns.reduce((s, x) => s * x);
          case 'div': return ns[1] === 0 ? null : ns[0]! / ns[1]!;
          case 'min': return Math.min(...ns);
          case 'max': return Math.max(...ns);
        }
      };
    }
    case 'eq': case 'ne': case 'lt': case 'le': case 'gt': case 'ge': {
      const [fa, fb] = [compile(e.args[0]), compile(e.args[1])];
      const cmp = { eq: (a: Value, b: Value) => a === b, ne: (a: Value, b: Value) => a !== b, lt: (a: Value, b: Value) => a! < b!, le: (a: Value, b: Value) => a! <= b!, gt: (a: Value, b: Value) => a! > b!, ge: (a: Value, b: Value) => a! >= b! }[e.op];
      return (env) => { const a = fa(env); if (isNull(a)) return null; const b = fb(env); return isNull(b) ? null : cmp(a, b); };
    }
    case 'and': case 'or': {
      const args = e.args.map(compile);
      const decisive = e.op === 'or';
      return (env) => {
        let unknown = false;
        for (const a of args) { const v = a(env); if (v === decisive) return decisive; if (isNull(v)) unknown = true; }
        return unknown ? null : !decisive;
      };
    }
    case 'not': { const a = compile(e.arg); return (env) => { const v = a(env); return isNull(v) ? null : !v; }; }
    case 'known': { const a = compile(e.arg); return (env) => !isNull(a(env)); }
    case 'in': { const a = compile(e.arg); const set = new Set<Value>(e.values); return (env) => { const v = a(env); return isNull(v) ? null : set.has(v); }; }
    case 'if': {
      const [c, t, f] = [compile(e.cond), compile(e.then), compile(e.else)];
      return (env) => { const v = c(env); return isNull(v) ? null : v ? t(env) : f(env); };
    }
    case 'monthsBetween': {
      const [fa, fb] = [compile(e.from), compile(e.to)];
      return (env) => { const a = fa(env); const b = fb(env); return isNull(a) || isNull(b) ? null : monthsBetweenDates(String(a), String(b)); };
    }
    case 'addMonths': {
      const [fa, fn] = [compile(e.arg), compile(e.months)];
      return (env) => { const a = fa(env); const n = fn(env); return isNull(a) || isNull(n) ? null : addMonthsToDate(String(a), Math.round(Number(n))); };
    }
    case 'addDays': {
      const [fa, fn] = [compile(e.arg), compile(e.days)];
      return (env) => { const a = fa(env); const n = fn(env); return isNull(a) || isNull(n) ? null : addDaysToDate(String(a), Math.round(Number(n))); };
    }
    case 'monthStart': { const a = compile(e.arg); return (env) => { const v = a(env); return isNull(v) ? null : `${String(v).slice(0, 7)}-01`; }; }
    case 'round2': { const a = compile(e.arg); return (env) => { const v = a(env); return isNull(v) ? null : roundCents(Number(v)); }; }
  }
  throw new Error(`unknown expression ${JSON.stringify(e)}`);
}

const paramCache = new WeakMap<ParameterSet, Map<string, Map<string, UsedParameter>>>();
/** Every parameter's value in force on a date, computed once per parameter set and date. */
function parametersAt(params: ParameterSet, date: string): Map<string, UsedParameter> {
  let byDate = paramCache.get(params);
  if (!byDate) paramCache.set(params, (byDate = new Map()));
  let m = byDate.get(date);
  if (!m) {
    m = new Map();
    for (const name of params.parameters.keys()) {
      const v = params.at(name, date);
      m.set(name, { name, value: v?.value ?? null, from: v?.from ?? null, unconfirmed: v?.unconfirmed ?? false });
    }
    if (byDate.size > 1000) byDate.clear();
    byDate.set(date, m);
  }
  return m;
}

/** Evaluates an expression over facts and parameters at a date (three-valued, like SQL). */
export function evalExpr(e: Expr, facts: Facts, params: ParameterSet, date: string, today: string = date): Value {
  return compile(e)({ facts, pv: parametersAt(params, date), date, today });
}

/** Fills `{fact.name}` and `{param_name}` placeholders of a template. */
function fill(template: L, values: Record<string, Value>): L {
  const f = (s: string) => s.replace(/\{([a-z_.]+)\}/g, (m, k: string) => (k in values ? String(values[k] ?? '?') : m));
  return { az: f(template.az), ru: f(template.ru), en: f(template.en) };
}

const MISSING: L = { az: 'Qərar vermək mümkün deyil: çatışmır {missing}', ru: 'Невозможно решить: не хватает {missing}', en: 'Cannot decide: missing {missing}' };

/** The date a rule is evaluated at for a subject: the event's date, or the given date. */
export const evaluationDate = (rule: Rule, facts: Facts, today: string): string =>
  rule.evaluateAt === 'event' && typeof facts['event.date'] === 'string' ? facts['event.date'] : today;

/** What each part of a rule reads, worked out once per rule. */
interface RuleMeta {
  conds: { cond: Condition; when: Compiled; facts: FactName[]; params: string[] }[];
  amount: Compiled; amountFacts: FactName[]; amountParams: string[]; allParams: string[];
  periodFrom?: Compiled; periodTo?: Compiled;
}
const metaCache = new WeakMap<Rule, RuleMeta>();
const usedCache = new WeakMap<Map<string, UsedParameter>, WeakMap<RuleMeta, { perCondition: UsedParameter[][]; all: UsedParameter[] }>>();
/** The parameters each condition (and the rule as a whole) uses at a date, looked up once. */
function usedAt(meta: RuleMeta, pv: Map<string, UsedParameter>) {
  let byMeta = usedCache.get(pv);
  if (!byMeta) usedCache.set(pv, (byMeta = new WeakMap()));
  let u = byMeta.get(meta);
  if (!u) byMeta.set(meta, (u = { perCondition: meta.conds.map((c) => c.params.map((p) => pv.get(p)!)), all: meta.allParams.map((p) => pv.get(p)!) }));
  return u;
}
function metaOf(rule: Rule): RuleMeta {
  let m = metaCache.get(rule);
  if (m) return m;
  const all = new Set<string>();
  const conds = rule.conditions.map((cond) => {
    const r = referencesOf(cond.when);
    for (const p of r.params) all.add(p);
    return { cond, when: compile(cond.when), facts: [...r.facts], params: [...r.params] };
  });
  const a = referencesOf(rule.amount);
  for (const p of a.params) all.add(p);
  m = {
    conds, amount: compile(rule.amount), amountFacts: [...a.facts], amountParams: [...a.params], allParams: [...all],
    periodFrom: rule.periodFrom && compile(rule.periodFrom), periodTo: rule.periodTo && compile(rule.periodTo),
  };
  metaCache.set(rule, m);
  return m;
}

/** A trace step; its explanation (three languages) is rendered when first read. */
class Step implements TraceStep {
  private rendered?: L;
  private used?: Record<string, Value>;
  constructor(readonly condition: string, readonly result: boolean | null, private readonly all: Facts, private readonly names: FactName[],
    readonly parameters: UsedParameter[], readonly legal: string, private readonly template: L, private readonly missing: string) {}
  /** The facts this condition read (picked when first asked for). */
  get facts(): Record<string, Value> {
    if (!this.used) {
      this.used = {};
      for (const f of this.names) this.used[f] = (this.all[f] ?? null) as Value;
    }
    return this.used;
  }
  get explanation(): L {
    return (this.rendered ??= fill(this.template, this.result === null
      ? { missing: this.missing }
      // A text may mention any fact of the subject (e.g. the event date), not only those the condition tests.
      : { ...(this.all as Record<string, Value>), ...this.facts, ...Object.fromEntries(this.parameters.map((p) => [p.name, p.value])) }));
  }
  toJSON() {
    return { condition: this.condition, result: this.result, facts: this.facts, parameters: this.parameters, legal: this.legal, explanation: this.explanation };
  }
}

/**
 * Evaluates a rule for one subject with a full trace. A false condition is enough for
 * not_eligible; otherwise any unknown condition (or an unknown amount) gives cannot_decide with
 * the facts and parameters that are missing.
 */
export function evaluateRule(rule: Rule, facts: Facts, params: ParameterSet, today: string): Evaluation {
  const date = evaluationDate(rule, facts, today);
  const inForce = date >= rule.effective.from && (!rule.effective.to || date < rule.effective.to);
  if (!inForce) {
    return {
      ruleId: rule.id, ruleVersion: rule.version, evalDate: date, outcome: 'not_eligible', amount: null, periodFrom: null, periodTo: null, missing: [], parameters: [],
      trace: [{ condition: 'in_force', result: false, facts: {}, parameters: [], legal: rule.legalBasis,
        explanation: { az: `Qayda ${date} tarixində qüvvədə deyil`, ru: `Правило не действует на ${date}`, en: `The rule is not in force on ${date}` } }],
    };
  }
  const meta = metaOf(rule);
  const pv = parametersAt(params, date);
  const env: Env = { facts, pv, date, today };
  const trace: TraceStep[] = [];
  const missing: string[] = [];
  let anyFalse = false;
  let anyUnknown = false;
  const usedParams = usedAt(meta, pv);
  for (let i = 0; i < meta.conds.length; i++) {
    const c = meta.conds[i]!;
    const result = c.when(env) as boolean | null;
    const used = usedParams.perCondition[i]!;
    if (result === false) anyFalse = true;
    else if (result === null) {
      anyUnknown = true;
      for (const f of c.facts) if (isNull((facts[f] ?? null) as Value) && !missing.includes(f)) missing.push(f);
      for (const p of used) if (p.value === null && !missing.includes(p.name)) missing.push(p.name);
    }
    const template = result === null ? MISSING : result ? c.cond.explain.pass : c.cond.explain.fail;
    trace.push(new Step(c.cond.id, result, facts, c.facts, used, c.cond.legal, template, result === null ? missing.join(', ') : ''));
  }
  let outcome: Outcome = anyFalse ? 'not_eligible' : anyUnknown ? 'cannot_decide' : 'eligible';
  let amount: number | null = null;
  let periodFrom: string | null = null;
  let periodTo: string | null = null;
  if (outcome === 'eligible') {
    amount = meta.amount(env) as number | null;
    if (amount === null) {
      outcome = 'cannot_decide';
      for (const f of meta.amountFacts) if ((facts[f] ?? null) === null) missing.push(f);
      for (const p of meta.amountParams) if (pv.get(p)!.value === null) missing.push(p);
    } else {
      periodFrom = meta.periodFrom ? (meta.periodFrom(env) as string | null) : date;
      periodTo = rule.payment === 'one_off' ? null : meta.periodTo ? (meta.periodTo(env) as string | null) : null;
    }
  }
  return {
    ruleId: rule.id, ruleVersion: rule.version, evalDate: date, outcome, amount, periodFrom, periodTo,
    missing: outcome === 'cannot_decide' ? missing : [], trace, parameters: usedParams.all,
  };
}

/** The type of a fact, for the SQL compiler and the loader. */
export const factType = (name: FactName) => FACTS[name].type;
