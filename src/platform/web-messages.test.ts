import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

// The web app's messages: the shared files and each feature's own (web/src/features/*/locales).
// Every language must have exactly the same keys, and no value may be empty, so no reader ever
// sees a key or another language's text in its place.
const root = path.resolve(import.meta.dirname, '../../web/src');
const LANGS = ['az', 'ru', 'en'] as const;

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
/** A key with its plural suffix folded (Russian has _few and _many where az and en have _one and _other). */
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');
const load = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

function messageSets(): { name: string; dir: string }[] {
  const sets = [{ name: 'shared', dir: path.join(root, 'i18n') }];
  const features = path.join(root, 'features');
  for (const f of readdirSync(features)) {
    const dir = path.join(features, f, 'locales');
    if (existsSync(dir)) sets.push({ name: f, dir });
  }
  return sets;
}

test('every message set has the same keys in az, ru and en, and no empty text', () => {
  const topLevel = new Map<string, string>();
  for (const set of messageSets()) {
    const byLang = Object.fromEntries(LANGS.map((l) => [l, load(path.join(set.dir, `${l}.json`))]));
    const az = new Set(keys(byLang.az).map(base));
    for (const l of LANGS) {
      const all = keys(byLang[l]);
      const k = new Set(all.map(base));
      assert.deepEqual([...k].filter((x) => !az.has(x)), [], `${set.name}/${l}: keys not in az`);
      assert.deepEqual([...az].filter((x) => !k.has(x)), [], `${set.name}/${l}: keys missing`);
      for (const key of all) {
        const v = key.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], byLang[l]);
        assert.ok(typeof v === 'string' && v.trim() !== '', `${set.name}/${l}: ${key} is empty`);
      }
    }
    for (const top of Object.keys(byLang.az!)) {
      assert.ok(!topLevel.has(top), `${set.name} redefines top-level key ${top} of ${topLevel.get(top)}`);
      topLevel.set(top, set.name);
    }
  }
});
