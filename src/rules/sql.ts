/**
 * The SQL compilation of a rule: one set-based query that evaluates the rule for every subject
 * (or a filtered few) inside the database, with the legal parameters bound as CASE expressions
 * over each row's evaluation date. Semantics follow evaluate.ts exactly (NULL = unknown, float8
 * arithmetic, the same month and rounding formulas); the differential test keeps them equal.
 */
import { Binder, factColumn, factsQuery, type SubjectFilter } from './facts.ts';
import { ruleParams, type Expr, type Rule } from './language.ts';
import type { ParameterSet } from './parameters.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Ctx { b: Binder; params: ParameterSet; today: string; /** Set when every row is evaluated at the same date: parameters are then bound as plain values. */ fixedDate?: string }

/** A parameter as SQL: its value in force on the row's evaluation date (NULL before the first value). */
function paramSql(ctx: Ctx, name: string, what: 'value' | 'from' = 'value'): string {
  const p = ctx.params.parameters.get(name);
  if (!p) throw new Error(`unknown parameter ${name}`);
  if (ctx.fixedDate) {
    const v = ctx.params.at(name, ctx.fixedDate);
    if (!v) return what === 'value' ? 'null::float8' : 'null::date';
    return what === 'value' ? ctx.b.bind(v.value, 'float8') : ctx.b.bind(v.from, 'date');
  }
  const branches = [...p.values].reverse()
    .map((v) => `when f.eval_date >= ${ctx.b.bind(v.from, 'date')} then ${what === 'value' ? ctx.b.bind(v.value, 'float8') : ctx.b.bind(v.from, 'date')}`);
  return `(case ${branches.join(' ')} else null end)`;
}

const both = (a: string, b: string, body: string) => `(case when ${a} is null or ${b} is null then null else ${body} end)`;

/** Compiles an expression to SQL over the facts row `f`. */
export function compileExpr(e: Expr, ctx: Ctx): string {
  const c = (x: Expr) => compileExpr(x, ctx);
  if ('fact' in e) return `f.${factColumn(e.fact)}`;
  if ('param' in e) return paramSql(ctx, e.param);
  if ('const' in e) {
    const v = e.const;
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') return ctx.b.bind(v, 'float8');
    return ctx.b.bind(v, DATE.test(v) ? 'date' : 'text');
  }
  if ('evalDate' in e) return 'f.eval_date';
  if ('today' in e) return ctx.b.bind(ctx.today, 'date');
  switch (e.op) {
    case 'add': return `(${e.args.map(c).join(' + ')})`;
    case 'sub': return `(${e.args.map(c).join(' - ')})`;
    case 'mul': return `(${e.args.map(c).join(' * ')})`;
    case 'div': return `(${c(e.args[0]!)} / nullif(${c(e.args[1]!)}, 0))`;
    case 'min': case 'max': {
      const args = e.args.map(c);
      return `(case when ${args.map((a) => `${a} is null`).join(' or ')} then null else ${e.op === 'min' ? 'least' : 'greatest'}(${args.join(', ')}) end)`;
    }
    case 'eq': return `(${c(e.args[0])} = ${c(e.args[1])})`;
    case 'ne': return `(${c(e.args[0])} <> ${c(e.args[1])})`;
    case 'lt': return `(${c(e.args[0])} < ${c(e.args[1])})`;
    case 'le': return `(${c(e.args[0])} <= ${c(e.args[1])})`;
    case 'gt': return `(${c(e.args[0])} > ${c(e.args[1])})`;
    case 'ge': return `(${c(e.args[0])} >= ${c(e.args[1])})`;
    case 'and': return `(${e.args.map(c).join(' and ')})`;
    case 'or': return `(${e.args.map(c).join(' or ')})`;
    case 'not': return `(not ${c(e.arg)})`;
    case 'known': return `(${c(e.arg)} is not null)`;
    case 'in': {
      const numeric = e.values.every((v) => typeof v === 'number');
      return `(${c(e.arg)} = any(${ctx.b.bind(e.values, numeric ? 'float8[]' : 'text[]')}))`;
    }
    case 'if': { const k = c(e.cond); return `(case when ${k} then ${c(e.then)} when not ${k} then ${c(e.else)} else null end)`; }
    case 'monthsBetween': {
      const a = c(e.from); const b = c(e.to);
      return both(a, b, `((extract(year from ${b}) - extract(year from ${a})) * 12 + (extract(month from ${b}) - extract(month from ${a}))
        - case when extract(day from ${b}) < extract(day from ${a}) then 1 else 0 end)::float8`);
    }
    case 'addMonths': return `(${c(e.arg)} + make_interval(months => round(${c(e.months)})::int))::date`;
    case 'addDays': return `(${c(e.arg)} + round(${c(e.days)})::int)`;
    case 'monthStart': return `date_trunc('month', ${c(e.arg)})::date`;
    case 'round2': return `(floor(${c(e.arg)} * 100 + 0.5) / 100)`;
  }
  throw new Error(`unknown expression ${JSON.stringify(e)}`);
}

/** One row of a compiled rule's result. */
export interface SqlDecisionRow {
  subject_key: string;
  citizen_id: number | null;
  about_id: number;
  region_code: string;
  eval_date: string;
  outcome: 'eligible' | 'not_eligible' | 'cannot_decide';
  amount: number | null;
  period_from: string | null;
  period_to: string | null;
  parameters: Record<string, { value: number | null; from: string | null }>;
}

/**
 * Compiles a rule to one query returning, per subject: subject_key, citizen_id (beneficiary),
 * about_id, region_code, eval_date, outcome, amount, period_from, period_to and the parameter
 * values used (jsonb). Parameters are bound, never spliced.
 */
export function compileRule(rule: Rule, params: ParameterSet, opts: { today: string; filter?: SubjectFilter; binder?: Binder }): { text: string; values: unknown[] } {
  const b = opts.binder ?? new Binder();
  const ctx: Ctx = { b, params, today: opts.today, fixedDate: rule.evaluateAt === 'today' ? opts.today : undefined };
  const facts = factsQuery(b, { subject: rule.subject, evaluateAt: rule.evaluateAt, today: opts.today, from: rule.effective.from, to: rule.effective.to, filter: opts.filter });
  const conds = rule.conditions.map((x) => compileExpr(x.when, ctx));
  const anyFalse = conds.length ? conds.map((_, i) => `c${i} is false`).join(' or ') : 'false';
  const allTrue = conds.length ? conds.map((_, i) => `c${i}`).join(' and ') : 'true';
  const names = ruleParams(rule);
  const paramsJson = names.length
    ? `jsonb_build_object(${names.map((n) => `${b.bind(n, 'text')}, jsonb_build_object('value', ${paramSql(ctx, n)}, 'from', ${paramSql(ctx, n, 'from')})`).join(', ')})`
    : `'{}'::jsonb`;
  const text = `
    with f as materialized (${facts}),
    e as (
      select f.subject_key, f.citizen_id, f.about_id, f.region_code, f.eval_date,
        ${conds.map((x, i) => `${x} as c${i}`).concat([
          `${compileExpr(rule.amount, ctx)} as amount`,
          `${rule.periodFrom ? compileExpr(rule.periodFrom, ctx) : 'f.eval_date'} as period_from`,
          `${rule.payment === 'monthly' && rule.periodTo ? compileExpr(rule.periodTo, ctx) : 'null::date'} as period_to`,
          // With one evaluation date the parameters are constants: computed once (an InitPlan), not per row.
          `${ctx.fixedDate ? `(select ${paramsJson})` : paramsJson} as parameters`,
        ]).join(',\n        ')}
      from f
    ),
    o as (
      select e.*, case when ${anyFalse} then 'not_eligible' when (${allTrue}) and amount is not null then 'eligible' else 'cannot_decide' end as outcome from e
    )
    select subject_key, citizen_id, about_id, region_code, eval_date, outcome,
      case when outcome = 'eligible' then amount end as amount,
      case when outcome = 'eligible' then period_from end as period_from,
      case when outcome = 'eligible' then period_to end as period_to,
      parameters
    from o`;
  return { text, values: b.values };
}
