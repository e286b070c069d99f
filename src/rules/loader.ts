/**
 * Loads and checks the rules and the parameters together: every rule's shape, every
 * expression's types, every fact is provided by the rule's subject, every parameter exists.
 * A broken rule or parameter file throws RulesLoadError with the file, the path and the
 * problem, and the server refuses to start.
 */
import { LIFE_EVENT_TYPES } from '../modules/registry/index.ts';
import { RULES } from './benefits.ts';
import { factsProvided } from './facts.ts';
import { FACTS, SUBJECTS, type Expr, type FactType, type Rule } from './language.ts';
import { loadParameters, RulesLoadError, type LoadProblem, type ParameterSet } from './parameters.ts';

/** The rules and parameters production uses, checked. */
export interface RuleBook {
  rules: readonly Rule[];
  params: ParameterSet;
  /** The newest version of each rule. */
  byId: ReadonlyMap<string, Rule>;
}

type T = FactType | 'any';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Checks an expression and infers its type; problems are pushed with their path. */
function checkExpr(e: unknown, path: string, ctx: { rule: Rule; params: ParameterSet; file: string; problems: LoadProblem[] }): T {
  const bad = (problem: string): T => { ctx.problems.push({ file: ctx.file, path, problem }); return 'any'; };
  if (!isObj(e)) return bad('expression must be an object');
  if ('fact' in e) {
    const f = e.fact as keyof typeof FACTS;
    if (!(f in FACTS)) return bad(`unknown fact ${String(e.fact)}`);
    if (!factsProvided(ctx.rule.subject).includes(f)) return bad(`fact ${f} is not available for subject ${ctx.rule.subject}`);
    return FACTS[f].type;
  }
  if ('param' in e) return ctx.params.parameters.has(String(e.param)) ? 'number' : bad(`unknown parameter ${String(e.param)}`);
  if ('const' in e) {
    const v = e.const;
    if (typeof v === 'number') return Number.isFinite(v) ? 'number' : bad('constant must be finite');
    if (typeof v === 'boolean') return 'boolean';
    if (typeof v === 'string') return DATE.test(v) ? 'date' : 'text';
    return bad('constant must be a number, string or boolean');
  }
  if ('evalDate' in e || 'today' in e) return 'date';
  const sub = (x: unknown, p: string) => checkExpr(x, `${path}/${p}`, ctx);
  const want = (got: T, types: T[], p: string) => { if (got !== 'any' && !types.includes(got)) ctx.problems.push({ file: ctx.file, path: `${path}/${p}`, problem: `expected ${types.join(' or ')}, got ${got}` }); };
  const args = Array.isArray(e.args) ? e.args : undefined;
  switch (e.op) {
    case 'add': case 'sub': case 'mul': case 'div': case 'min': case 'max':
      if (!args || args.length < (e.op === 'div' ? 2 : 1) || (e.op === 'div' && args.length !== 2)) return bad(`${e.op} needs arguments`);
      args.forEach((a, i) => want(sub(a, `args/${i}`), ['number'], `args/${i}`));
      return 'number';
    case 'eq': case 'ne': case 'lt': case 'le': case 'gt': case 'ge': {
      if (!args || args.length !== 2) return bad(`${e.op} needs two arguments`);
      const [a, b] = [sub(args[0], 'args/0'), sub(args[1], 'args/1')];
      if (a !== 'any' && b !== 'any' && a !== b) return bad(`cannot compare ${a} with ${b}`);
      if (!['eq', 'ne'].includes(e.op) && (a === 'text' || a === 'boolean')) return bad(`${e.op} is not defined for ${a}`);
      return 'boolean';
    }
    case 'and': case 'or':
      if (!args || args.length === 0) return bad(`${e.op} needs arguments`);
      args.forEach((a, i) => want(sub(a, `args/${i}`), ['boolean'], `args/${i}`));
      return 'boolean';
    case 'not': want(sub(e.arg, 'arg'), ['boolean'], 'arg'); return 'boolean';
    case 'known': sub(e.arg, 'arg'); return 'boolean';
    case 'in': {
      const t = sub(e.arg, 'arg');
      if (!Array.isArray(e.values) || e.values.length === 0) return bad('in needs a list of values');
      const kinds = new Set(e.values.map((v) => typeof v));
      if (kinds.size !== 1 || !(kinds.has('string') || kinds.has('number'))) return bad('in values must be all strings or all numbers');
      want(t, [kinds.has('number') ? 'number' : 'text'], 'arg');
      return 'boolean';
    }
    case 'if': {
      want(sub(e.cond, 'cond'), ['boolean'], 'cond');
      const a = sub(e.then, 'then'); const b = sub(e.else, 'else');
      if (a !== 'any' && b !== 'any' && a !== b) return bad(`branches differ: ${a} and ${b}`);
      return a === 'any' ? b : a;
    }
    case 'monthsBetween': want(sub(e.from, 'from'), ['date'], 'from'); want(sub(e.to, 'to'), ['date'], 'to'); return 'number';
    case 'addMonths': want(sub(e.arg, 'arg'), ['date'], 'arg'); want(sub(e.months, 'months'), ['number'], 'months'); return 'date';
    case 'addDays': want(sub(e.arg, 'arg'), ['date'], 'arg'); want(sub(e.days, 'days'), ['number'], 'days'); return 'date';
    case 'monthStart': want(sub(e.arg, 'arg'), ['date'], 'arg'); return 'date';
    case 'round2': want(sub(e.arg, 'arg'), ['number'], 'arg'); return 'number';
    default: return bad(`unknown operator ${String(e.op)}`);
  }
}

const isL = (x: unknown) => isObj(x) && ['az', 'ru', 'en'].every((k) => typeof x[k] === 'string' && (x[k] as string).length > 0);

/** Checks rules against the parameters; returns the problems (empty when all is well). */
export function checkRules(rules: readonly unknown[], params: ParameterSet, file: string): LoadProblem[] {
  const problems: LoadProblem[] = [];
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    const at = (p: string, problem: string) => problems.push({ file, path: `/${i}${p}`, problem });
    if (!isObj(r)) return at('', 'rule must be an object');
    const rule = r as unknown as Rule;
    if (typeof rule.id !== 'string' || !/^[a-z][a-z0-9_]*$/.test(rule.id)) at('/id', 'id must be lower_snake_case');
    if (!Number.isInteger(rule.version) || rule.version < 1) at('/version', 'version must be a positive integer');
    if (seen.has(`${rule.id}@${rule.version}`)) at('/version', `duplicate ${rule.id} version ${rule.version}`);
    seen.add(`${rule.id}@${rule.version}`);
    if (!isL(rule.name)) at('/name', 'name must have az, ru and en');
    if (typeof rule.legalBasis !== 'string' || !rule.legalBasis) at('/legalBasis', 'legal basis is required');
    if (!isObj(rule.effective) || !DATE.test(String(rule.effective.from)) || (rule.effective.to !== undefined && !(DATE.test(rule.effective.to) && rule.effective.to > rule.effective.from))) at('/effective', 'effective must be { from, to? } dates with to after from');
    if (!['required', 'not_required'].includes(rule.consent)) at('/consent', "consent must be 'required' or 'not_required'");
    if (!(SUBJECTS as readonly string[]).includes(rule.subject)) return at('/subject', `subject must be one of ${SUBJECTS.join(', ')}`);
    if (!['event', 'today'].includes(rule.evaluateAt)) at('/evaluateAt', "evaluateAt must be 'event' or 'today'");
    if (!['one_off', 'monthly'].includes(rule.payment)) at('/payment', "payment must be 'one_off' or 'monthly'");
    if (!Array.isArray(rule.triggers)) at('/triggers', 'triggers must be a list');
    else rule.triggers.forEach((t, j) => { if (!(LIFE_EVENT_TYPES as readonly string[]).includes(t)) at(`/triggers/${j}`, `unknown life-event type ${t}`); });
    const ctx = { rule, params, file, problems };
    if (!Array.isArray(rule.conditions)) return at('/conditions', 'conditions must be a list');
    const ids = new Set<string>();
    rule.conditions.forEach((cnd, j) => {
      if (!isObj(cnd)) return at(`/conditions/${j}`, 'condition must be an object');
      if (typeof cnd.id !== 'string' || ids.has(cnd.id)) at(`/conditions/${j}/id`, 'condition id missing or duplicate');
      ids.add(cnd.id);
      const t = checkExpr(cnd.when, `/${i}/conditions/${j}/when`, ctx);
      if (t !== 'boolean' && t !== 'any') at(`/conditions/${j}/when`, `a condition must be boolean, got ${t}`);
      if (!isObj(cnd.explain) || !isL(cnd.explain.pass) || !isL(cnd.explain.fail)) at(`/conditions/${j}/explain`, 'explain needs pass and fail in az, ru and en');
      if (typeof cnd.legal !== 'string' || !cnd.legal) at(`/conditions/${j}/legal`, 'legal reference is required');
    });
    const amount = checkExpr(rule.amount, `/${i}/amount`, ctx);
    if (amount !== 'number' && amount !== 'any') at('/amount', `amount must be a number, got ${amount}`);
    for (const k of ['periodFrom', 'periodTo'] as const) {
      if (rule[k] === undefined) continue;
      const t = checkExpr(rule[k] as Expr, `/${i}/${k}`, ctx);
      if (t !== 'date' && t !== 'any') at(`/${k}`, `${k} must be a date, got ${t}`);
    }
  });
  return problems;
}

/** Loads the parameter files and checks the rules; throws RulesLoadError on any problem. */
export async function loadRuleBook(opts: { rules?: readonly unknown[]; rulesFile?: string; parametersDir?: string } = {}): Promise<RuleBook> {
  const params = await loadParameters(opts.parametersDir);
  const rules = opts.rules ?? RULES;
  const problems = checkRules(rules, params, opts.rulesFile ?? 'src/rules/benefits.ts (RULES)');
  if (problems.length > 0) throw new RulesLoadError(problems);
  const byId = new Map<string, Rule>();
  for (const r of rules as Rule[]) if (!byId.has(r.id) || byId.get(r.id)!.version < r.version) byId.set(r.id, r);
  return { rules: rules as Rule[], params, byId };
}
