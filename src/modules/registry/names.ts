/**
 * Azerbaijani personal names folded for duplicate-person matching.
 *
 * A surname, given name or patronymic written in the Latin alphabet, in Cyrillic, or in a
 * Russian-style transliteration folds to one key (Мамедов, Mamedov, Mammadov, Məmmədov → mamadov;
 * "Əli oğlu", "Али оглы", "Alievich" → ali). The rules are data (data/registry/name-variants.json,
 * with sources); the database has the same fold as the SQL function dost_fold_name (migration
 * 0023), and names.test.ts checks both give the same key.
 *
 * The similarity of two folded names is Jaro–Winkler.
 */
import { Type, type Static } from 'typebox';
import { readDataFile } from '../reference/data-files.ts';

const Pair = Type.Tuple([Type.String({ minLength: 1 }), Type.String()]);
export const NameVariantsFile = Type.Object({
  meta: Type.Object({ title: Type.String(), description: Type.String(), sources: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), url: Type.String() }), { minItems: 1 }) }, { additionalProperties: true }),
  digraphs: Type.Array(Pair),
  letters: Type.Record(Type.String({ minLength: 1, maxLength: 1 }), Type.String({ minLength: 1, maxLength: 1 })),
  particles: Type.Array(Type.String({ minLength: 1 })),
  endings: Type.Array(Pair),
  examples: Type.Array(Type.Array(Type.String({ minLength: 1 }), { minItems: 2 })),
});
export type NameVariants = Static<typeof NameVariantsFile>;

let cache: Promise<NameVariants> | undefined;
/** data/registry/name-variants.json, validated, read once per process. */
export const readNameVariants = (): Promise<NameVariants> => (cache ??= readDataFile('registry/name-variants.json', NameVariantsFile));

/** A fold built from the rules. */
export interface NameFolder {
  (name: string | null | undefined): string;
}

/** Builds the fold function from the rules (see the data file for the steps). */
export function makeFolder(rules: NameVariants): NameFolder {
  const letters = new Map(Object.entries(rules.letters));
  const particles = new Set(rules.particles);
  const endings = rules.endings;
  return (name) => {
    if (!name) return '';
    let s = name.toLowerCase();
    for (const [from, to] of rules.digraphs) s = s.split(from).join(to);
    let words: string[] = [];
    let w = '';
    for (const ch of s) {
      const m = letters.get(ch);
      if (m !== undefined) w += m;
      else if (w.length > 0) {
        words.push(w);
        w = '';
      }
    }
    if (w.length > 0) words.push(w);
    words = words.filter((x) => !particles.has(x));
    let out = '';
    for (const ch of words.join('')) if (out[out.length - 1] !== ch) out += ch;
    for (const [end, repl] of endings) {
      if (out.length > end.length && out.endsWith(end)) {
        out = out.slice(0, out.length - end.length) + repl;
        break;
      }
    }
    return out;
  };
}

let folder: Promise<NameFolder> | undefined;
/** The fold with the rules of the data file. */
export const nameFolder = (): Promise<NameFolder> => (folder ??= readNameVariants().then(makeFolder));

/** Jaro–Winkler similarity of two strings, 0 (nothing in common) … 1 (equal). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 1 : 1;
  if (a.length === 0 || b.length === 0) return 0;
  const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aUsed = new Uint8Array(a.length);
  const bUsed = new Uint8Array(b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(b.length - 1, i + range);
    for (let j = lo; j <= hi; j++) {
      if (bUsed[j] || a[i] !== b[j]) continue;
      aUsed[i] = 1;
      bUsed[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let t = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aUsed[i]) continue;
    while (!bUsed[j]) j++;
    if (a[i] !== b[j]) t++;
    j++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - t / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Similarity of two names after folding both. */
export const nameSimilarity = (fold: NameFolder, a: string | null | undefined, b: string | null | undefined): number => jaroWinkler(fold(a), fold(b));
