import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { readDataFile } from '../reference/data-files.ts';
import { jaroWinkler, nameFolder, nameSimilarity, readNameVariants, type NameFolder } from './names.ts';
import { Type } from 'typebox';

let fold: NameFolder;
let d: TestDatabase;
before(async () => {
  fold = await nameFolder();
  d = await createTestDatabase();
});
after(() => d.close());

test('spellings of the same Azerbaijani name fold to one key (Latin, Cyrillic, Russian transliteration, case, particles)', async () => {
  const rules = await readNameVariants();
  for (const group of rules.examples) {
    const keys = new Set(group.map((n) => fold(n)));
    assert.equal(keys.size, 1, `${group.join(' / ')} → ${[...keys].join(' / ')}`);
  }
  assert.equal(fold('Məmmədov'), 'mamadov');
  assert.equal(fold('Мамедов'), 'mamadov');
  assert.equal(fold('  MAMMADOV '), 'mamadov');
  assert.equal(fold('Əli oğlu'), 'ali');
  assert.equal(fold('Rzazadə'), fold('Rza-zade'));
  assert.equal(fold(null), '');
});

test('different names stay apart', () => {
  const pairs: [string, string][] = [['Məmmədov', 'Əliyev'], ['Hüseynov', 'Həsənov'], ['Leyla', 'Aynur'], ['Rəşad', 'Rauf'], ['Nigar', 'Nərgiz'], ['Orxan', 'Elvin']];
  for (const [a, b] of pairs) {
    assert.notEqual(fold(a), fold(b), `${a} / ${b}`);
    assert.ok(nameSimilarity(fold, a, b) < 0.9, `${a} / ${b}: ${nameSimilarity(fold, a, b)}`);
  }
});

test('Jaro-Winkler: the textbook values', () => {
  assert.equal(jaroWinkler('abc', 'abc'), 1);
  assert.equal(jaroWinkler('abc', ''), 0);
  assert.ok(Math.abs(jaroWinkler('martha', 'marhta') - 0.9611) < 0.001);
  assert.ok(Math.abs(jaroWinkler('dwayne', 'duane') - 0.84) < 0.001);
  assert.ok(nameSimilarity(fold, 'Məmmədova', 'Mamedova') === 1);
  assert.ok(nameSimilarity(fold, 'Hüseynov', 'Huseinov') > 0.9);
});

test('the SQL fold of the migration gives the same key as the data file for every real name and example', async () => {
  const NamesFile = Type.Object({ male: Type.Array(Type.String()), female: Type.Array(Type.String()), surnames: Type.Array(Type.String()) }, { additionalProperties: true });
  const names = await readDataFile('registry/names-az.json', NamesFile);
  const rules = await readNameVariants();
  const all = [...names.male, ...names.female, ...names.surnames, ...names.surnames.map((s) => `${s}a`), ...rules.examples.flat(),
    ...names.male.slice(0, 10).flatMap((m) => [`${m} oğlu`, `${m} qızı`])];
  const r = await sql<{ n: string; k: string }>`select n, dost_fold_name(n) as k from unnest(${all}::text[]) as n`.execute(d.db);
  const mismatches = r.rows.filter((x) => x.k !== fold(x.n)).map((x) => `${x.n}: sql ${x.k} ts ${fold(x.n)}`);
  assert.deepEqual(mismatches, []);
  assert.equal(r.rows.length, all.length);
});
