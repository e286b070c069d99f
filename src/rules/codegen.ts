/**
 * Expressions to JavaScript source. The evaluator (evaluate.ts) turns each rule into one
 * generated function instead of a tree of closures: every fact is read once into a local, every
 * parameter is a local taken from an array resolved once per date, and each operator becomes a
 * few statements over locals. The semantics are those of the language (three-valued, like SQL:
 * null is unknown and propagates; a false operand decides `and`, a true one decides `or`), the
 * same as the SQL compilation; the differential test holds the two equal.
 *
 * Nothing from a rule is pasted into the source as code: fact and parameter names become
 * locals, constants become JSON literals (or entries of a constants array when they have no
 * literal), so a rule file cannot inject code.
 */
import type { Expr, FactName } from './language.ts';

/** The helpers a generated function calls, passed in by name. */
export const HELPER_NAMES = ['MB', 'AM', 'AD', 'RC'] as const;

/** A JS literal for a constant, or undefined when it has none (NaN, ±Infinity). */
function literal(v: number | string | boolean): string | undefined {
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  return Object.is(v, -0) ? '(-0)' : v < 0 ? `(${v})` : String(v);
}

const COMPARE = { eq: '===', ne: '!==', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/**
 * Emits the statements of one generated function. `expr` returns an atom (a local or a literal)
 * holding the expression's value after the statements emitted so far.
 */
export class Emitter {
  /** Constants without a literal, read by the source as `K[i]`. */
  readonly consts: unknown[] = [];
  private readonly out: string[] = [];
  private n = 0;
  /** Atoms that are never null (literals, the dates). */
  private readonly definite = new Set<string>();

  constructor(private readonly factAtom: (f: FactName) => string, private readonly paramAtom: (p: string) => string,
    private readonly dateAtom: string, private readonly todayAtom: string) {
    this.definite.add(dateAtom).add(todayAtom);
  }

  line(s: string): void { this.out.push(s); }
  /** A new local, declared at the current point. */
  local(init = 'null'): string {
    const t = `t${this.n++}`;
    this.out.push(`let ${t} = ${init};`);
    return t;
  }
  get source(): string { return this.out.join('\n'); }

  private constant(v: number | string | boolean): string {
    const lit = literal(v);
    if (lit === undefined) return this.opaque(v);
    this.definite.add(lit);
    return lit;
  }
  /** A value the source reads from the constants array. */
  private opaque(v: unknown): string {
    this.consts.push(v);
    return `K[${this.consts.length - 1}]`;
  }

  /** Evaluates `args` in order; the first null makes the result null, else `f` of their atoms. */
  private strict(args: Expr[], f: (atoms: string[]) => string): string {
    const t = this.local();
    const atoms: string[] = [];
    let open = 0;
    for (const a of args) {
      const x = this.expr(a);
      atoms.push(x);
      if (!this.definite.has(x)) { this.line(`if (${x} !== null) {`); open++; }
    }
    this.line(`${t} = ${f(atoms)};`);
    for (; open > 0; open--) this.line('}');
    return t;
  }

  expr(e: Expr): string {
    if ('fact' in e) return this.factAtom(e.fact);
    if ('param' in e) return this.paramAtom(e.param);
    if ('const' in e) return this.constant(e.const);
    if ('evalDate' in e) return this.dateAtom;
    if ('today' in e) return this.todayAtom;
    switch (e.op) {
      case 'add': case 'sub': case 'mul': case 'min': case 'max': {
        if (e.args.length === 0) throw new Error(`${e.op} needs arguments`);
        const op = e.op;
        return this.strict(e.args, (xs) => (op === 'min' || op === 'max' ? `Math.${op}(${xs.join(', ')})` : xs.join(op === 'add' ? ' + ' : op === 'sub' ? ' - ' : ' * ')));
      }
      case 'div': return this.strict(e.args, ([a, b]) => `${b} === 0 ? null : ${a} / ${b}`);
      case 'eq': case 'ne': case 'lt': case 'le': case 'gt': case 'ge': {
        const op = COMPARE[e.op];
        return this.strict(e.args, ([a, b]) => `${a} ${op} ${b}`);
      }
      case 'and': case 'or': {
        const decisive = e.op === 'or';
        const t = this.local();
        const unknown = this.local('false');
        const label = `L${this.n++}`;
        this.line(`${label}: {`);
        for (const a of e.args) {
          const x = this.expr(a);
          this.line(`if (${x} === ${decisive}) { ${t} = ${decisive}; break ${label}; }`);
          this.line(`if (${x} === null) ${unknown} = true;`);
        }
        this.line(`${t} = ${unknown} ? null : ${!decisive};`);
        this.line('}');
        return t;
      }
      case 'not': { const x = this.expr(e.arg); return this.local(`${x} === null ? null : !${x}`); }
      case 'known': { const x = this.expr(e.arg); return this.local(`${x} !== null`); }
      case 'in': {
        const x = this.expr(e.arg);
        const lits = e.values.map(literal);
        if (lits.length <= 8 && lits.every((l) => l !== undefined)) return this.local(`${x} === null ? null : (${lits.map((l) => `${x} === ${l}`).join(' || ')})`);
        return this.local(`${x} === null ? null : ${this.opaque(new Set(e.values))}.has(${x})`);
      }
      case 'if': {
        const c = this.expr(e.cond);
        const t = this.local();
        this.line(`if (${c} !== null) {`);
        this.line(`if (${c}) {`);
        const a = this.expr(e.then);
        this.line(`${t} = ${a};`);
        this.line('} else {');
        const b = this.expr(e.else);
        this.line(`${t} = ${b};`);
        this.line('}');
        this.line('}');
        return t;
      }
      case 'monthsBetween': return this.strict([e.from, e.to], ([a, b]) => `MB(String(${a}), String(${b}))`);
      case 'addMonths': return this.strict([e.arg, e.months], ([a, n]) => `AM(String(${a}), Math.round(Number(${n})))`);
      case 'addDays': return this.strict([e.arg, e.days], ([a, n]) => `AD(String(${a}), Math.round(Number(${n})))`);
      case 'monthStart': return this.strict([e.arg], ([a]) => `String(${a}).slice(0, 7) + "-01"`);
      case 'round2': return this.strict([e.arg], ([a]) => `RC(Number(${a}))`);
    }
    throw new Error(`unknown expression ${JSON.stringify(e)}`);
  }
}
