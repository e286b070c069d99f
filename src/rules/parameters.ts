import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../platform/paths.ts';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/** Folder of the dated legal parameter files. */
export const PARAMETERS_DIR = path.join(PROJECT_ROOT, 'data/parameters');

const IsoDate = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' });

/** The format of a parameter file: meta with sources, and each parameter's dated values. */
export const ParameterFile = Type.Object({
  meta: Type.Object({
    title: Type.String({ minLength: 1 }),
    description: Type.String({ minLength: 1 }),
    sources: Type.Array(Type.Object({ id: Type.String({ minLength: 1 }), title: Type.String({ minLength: 1 }), url: Type.Optional(Type.String()) }, { additionalProperties: false }), { minItems: 1 }),
    notes: Type.Optional(Type.Array(Type.String())),
  }, { additionalProperties: false }),
  parameters: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Type.Object({
    unit: Type.String({ minLength: 1 }),
    description: Type.String({ minLength: 1 }),
    values: Type.Array(Type.Object({
      from: IsoDate,
      value: Type.Number(),
      source_ids: Type.Array(Type.String(), { minItems: 1 }),
      confidence: Type.Optional(Type.Literal('unconfirmed')),
    }, { additionalProperties: false }), { minItems: 1 }),
  }, { additionalProperties: false })),
}, { additionalProperties: false });
export type ParameterFile = Static<typeof ParameterFile>;

/** Where a parameter value comes from: an entry of its file's `meta.sources`. */
export interface ParameterSource { id: string; title: string; url?: string }

/** One value of a parameter with the period it is in force from and its sources. */
export interface ParameterValue {
  from: string;
  value: number;
  sourceIds: string[];
  /** The sources named by `sourceIds`, with their titles and addresses. */
  sources: ParameterSource[];
  unconfirmed: boolean;
}

/** A parameter and its history, oldest value first. */
export interface Parameter {
  name: string;
  unit: string;
  description: string;
  file: string;
  values: ParameterValue[];
}

/** A problem in a rule or parameter file: where (file, JSON pointer, line when known) and what. */
export interface LoadProblem {
  file: string;
  path: string;
  line?: number;
  problem: string;
}

/** Thrown when a rule or parameter file is broken; the server refuses to start on it. */
export class RulesLoadError extends Error {
  constructor(readonly problems: LoadProblem[]) {
    super(`broken rules or parameters:\n${problems.slice(0, 20).map((p) => `  ${p.file}${p.line ? `:${p.line}` : ''} ${p.path}: ${p.problem}`).join('\n')}`);
  }
}

/** The line of a JSON pointer in the file's text, found by walking the keys in order (approximate for arrays). */
export function lineOfPointer(text: string, pointer: string): number | undefined {
  let at = 0;
  for (const seg of pointer.split('/').slice(1)) {
    if (/^\d+$/.test(seg)) continue;
    const i = text.indexOf(`"${seg.replace(/~1/g, '/').replace(/~0/g, '~')}"`, at);
    if (i < 0) break;
    at = i;
  }
  return at === 0 ? undefined : text.slice(0, at).split('\n').length;
}

/** The source of a value set by a what-if simulation. */
const SIMULATION: ParameterSource = { id: 'simulation', title: 'What-if simulation (not in force)' };

/**
 * Every legal parameter in force at any date. `at(name, date)` gives the value in force on that
 * date (the latest value whose `from` is not after it) or undefined before the first value.
 */
export class ParameterSet {
  constructor(readonly parameters: ReadonlyMap<string, Parameter>) {}

  /** The value in force on `date`, with its start date; undefined if none yet. */
  at(name: string, date: string): ParameterValue | undefined {
    const p = this.parameters.get(name);
    if (!p) throw new Error(`unknown parameter ${name}`);
    let found: ParameterValue | undefined;
    for (const v of p.values) if (v.from <= date) found = v;
    return found;
  }

  /** A copy where `name` takes `value` from `from` on (later values of the original still follow). For what-if simulations. */
  withOverride(name: string, from: string, value: number): ParameterSet {
    const p = this.parameters.get(name);
    if (!p) throw new Error(`unknown parameter ${name}`);
    const values = [...p.values.filter((v) => v.from !== from), { from, value, sourceIds: ['simulation'], sources: [SIMULATION], unconfirmed: true }]
      .sort((a, b) => a.from.localeCompare(b.from));
    return new ParameterSet(new Map([...this.parameters, [name, { ...p, values }]]));
  }
}

/** Validates one parameter file's parsed content; returns its parameters or the problems. */
export function parseParameterFile(file: string, text: string): { parameters: Parameter[]; problems: LoadProblem[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message)?.[1];
    return { parameters: [], problems: [{ file, path: '', line: pos ? text.slice(0, Number(pos)).split('\n').length : undefined, problem: (e as Error).message }] };
  }
  const errors = [...Value.Errors(ParameterFile, json)];
  if (errors.length > 0) {
    return { parameters: [], problems: errors.slice(0, 20).map((e) => ({ file, path: e.instancePath || '/', line: lineOfPointer(text, e.instancePath), problem: e.message })) };
  }
  const f = json as ParameterFile;
  const problems: LoadProblem[] = [];
  const sourceById = new Map(f.meta.sources.map((s): [string, ParameterSource] => [s.id, s.url ? { id: s.id, title: s.title, url: s.url } : { id: s.id, title: s.title }]));
  const parameters: Parameter[] = [];
  for (const [name, p] of Object.entries(f.parameters)) {
    p.values.forEach((v, i) => {
      const ptr = `/parameters/${name}/values/${i}`;
      if (Number.isNaN(Date.parse(`${v.from}T00:00:00Z`)) || new Date(`${v.from}T00:00:00Z`).toISOString().slice(0, 10) !== v.from) {
        problems.push({ file, path: `${ptr}/from`, line: lineOfPointer(text, `${ptr}/from`), problem: `not a calendar date: ${v.from}` });
      }
      if (i > 0 && v.from <= p.values[i - 1]!.from) problems.push({ file, path: `${ptr}/from`, line: lineOfPointer(text, `/parameters/${name}`), problem: 'values must be in increasing date order' });
      for (const s of v.source_ids) if (!sourceById.has(s)) problems.push({ file, path: `${ptr}/source_ids`, line: lineOfPointer(text, `/parameters/${name}`), problem: `unknown source id ${s}` });
    });
    parameters.push({
      name, unit: p.unit, description: p.description, file,
      values: p.values.map((v) => ({
        from: v.from, value: v.value, sourceIds: v.source_ids, sources: v.source_ids.flatMap((id) => sourceById.get(id) ?? []), unconfirmed: v.confidence === 'unconfirmed',
      })),
    });
  }
  return { parameters, problems };
}

/** Reads and validates every `*.json` in the parameters folder; throws RulesLoadError on any problem. */
export async function loadParameters(dir = PARAMETERS_DIR): Promise<ParameterSet> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const all = new Map<string, Parameter>();
  const problems: LoadProblem[] = [];
  for (const name of files) {
    const file = path.join('data/parameters', name);
    const r = parseParameterFile(file, await readFile(path.join(dir, name), 'utf8'));
    problems.push(...r.problems);
    for (const p of r.parameters) {
      if (all.has(p.name)) problems.push({ file, path: `/parameters/${p.name}`, problem: `also defined in ${all.get(p.name)!.file}` });
      all.set(p.name, p);
    }
  }
  if (problems.length > 0) throw new RulesLoadError(problems);
  return new ParameterSet(all);
}
