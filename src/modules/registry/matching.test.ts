import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { createCitizen } from '../../test/factories.ts';
import { findPossibleDuplicates } from './matching.ts';

let d: TestDatabase;
before(async () => { d = await createTestDatabase(); });
after(() => d.close());

const person = { last_name: 'Hüseynova', first_name: 'Gülnarə', patronymic: 'Əli qızı', birth_date: '1979-03-08', sex: 'F' as const, district_code: 'BAK-NAS' };

test('an identical person under another FIN is queued once; a Russian-style spelling is found; different people are not', async () => {
  const a = await createCitizen(d.db, person);
  const same = await createCitizen(d.db, person);
  const russian = await createCitizen(d.db, { ...person, last_name: 'Гусейнова', first_name: 'Гюльнара', patronymic: 'Али кызы' });
  const translit = await createCitizen(d.db, { ...person, last_name: 'Guseynova', first_name: 'Gulnara', patronymic: null, birth_date: '1979-08-03' });
  // Different people: same birth date and district, other names; a sister (twin) with another given name.
  const other = await createCitizen(d.db, { ...person, last_name: 'Məmmədova', first_name: 'Aynur', patronymic: 'Rauf qızı' });
  const twin = await createCitizen(d.db, { ...person, first_name: 'Leyla' });
  const brother = await createCitizen(d.db, { ...person, first_name: 'Elvin', sex: 'M', patronymic: 'Əli oğlu' });

  const queued = await findPossibleDuplicates(d.db);
  const pairs = new Set(queued.map((q) => `${q.lowCitizenId}-${q.highCitizenId}`));
  const key = (x: number, y: number) => `${Math.min(x, y)}-${Math.max(x, y)}`;
  assert.ok(pairs.has(key(a.citizen_id, same.citizen_id)), 'identical person');
  assert.ok(pairs.has(key(a.citizen_id, russian.citizen_id)), 'Cyrillic spelling');
  assert.ok(pairs.has(key(a.citizen_id, translit.citizen_id)), 'transliteration with day and month transposed');
  for (const x of [other, twin, brother]) {
    for (const y of [a, same, russian, translit]) assert.ok(!pairs.has(key(x.citizen_id, y.citizen_id)), `${x.first_name} is not ${y.first_name}`);
  }
  const r = await sql<{ breakdown: Record<string, { level: string; weight: number }>; score: string }>`
    select breakdown, score from person_match_candidates where low_citizen_id = ${Math.min(a.citizen_id, same.citizen_id)} and high_citizen_id = ${Math.max(a.citizen_id, same.citizen_id)}`.execute(d.db);
  assert.equal(r.rows[0]!.breakdown.birth_date!.level, 'exact');
  assert.equal(r.rows[0]!.breakdown.last_name!.level, 'agree');
  assert.equal(Number(r.rows[0]!.score), 25.5);

  // Run again: nothing new is queued (pairs are found once).
  assert.deepEqual(await findPossibleDuplicates(d.db), []);
  // Only records above an id: a new record is matched against the whole registry.
  const late = await createCitizen(d.db, { ...person, last_name: 'Guseynova' });
  const onlyNew = await findPossibleDuplicates(d.db, { afterCitizenId: late.citizen_id - 1, foundBy: 'import' });
  assert.ok(onlyNew.length >= 3 && onlyNew.every((q) => q.highCitizenId === late.citizen_id || q.lowCitizenId === late.citizen_id));
});
