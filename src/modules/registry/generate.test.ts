import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { CITIZEN_CSV_HEADER } from './csv.ts';
import { isFin, isIdCardNumber, isPhone } from './identifiers.ts';
import {
  PopulationModel, districtsFromFile, finFor, generatePopulation, readPopulationFiles, writePopulationCsv,
} from './generate.ts';

const N = 1500;
const SEED = 5;
const AS_OF = '2026-11-01';
let a: TestDatabase;
let b: TestDatabase;
let tmp: string;

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The citizen columns of the import format, one CSV-ish line per citizen, ordered by FIN. */
async function citizenRows(d: TestDatabase): Promise<string[]> {
  const r = await sql<{ line: string }>`
    select concat_ws('|', fin, last_name, first_name, patronymic, birth_date, sex, district_code, address, phone, id_card_number) as line
    from citizens order by fin`.execute(d.db);
  return r.rows.map((x) => x.line);
}

/** Everything generated (citizens with death dates, households, members, events), by FIN. */
async function fullHash(d: TestDatabase): Promise<string> {
  const r = await sql<{ line: string }>`
    select concat_ws('|', c.fin, c.last_name, c.first_name, c.patronymic, c.birth_date, c.sex, c.district_code, c.address,
             c.phone, c.id_card_number, c.death_date, m.relation, m.joined_on, m.left_on, h.address,
             (select string_agg(concat_ws(';', e.type, e.occurred_on, e.source, e.data::text), ',' order by e.occurred_on, e.type, e.data::text)
                from life_events e where e.citizen_id = c.citizen_id),
             (select string_agg(c2.fin, ',' order by c2.fin) from household_members m2 join citizens c2 using (citizen_id)
                where m2.household_id = m.household_id)) as line
    from citizens c join household_members m using (citizen_id) join households h using (household_id)
    order by c.fin`.execute(d.db);
  return sha(r.rows.map((x) => x.line).join('\n'));
}

before(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'dost-gen-'));
});
after(async () => {
  await a?.close();
  await b?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('generatePopulation', () => {
  test('writes exactly N citizens with households and life events, and reports progress', async () => {
    const progress: number[] = [];
    const r = await generatePopulation(a, { citizens: N, seed: SEED, asOf: AS_OF, batchSize: 500, onProgress: (p) => progress.push(p.citizens) });
    assert.equal(r.citizens, N);
    assert.ok(r.households > N / 7 && r.households < N / 2.5, `households ${r.households}`);
    assert.ok(r.lifeEvents >= N, `events ${r.lifeEvents}`);
    assert.equal(progress.at(-1), N);
    const counts = await sql<{ c: number; h: number; m: number; e: number }>`
      select (select count(*) from citizens) as c, (select count(*) from households) as h,
             (select count(*) from household_members) as m, (select count(*) from life_events) as e`.execute(a.db);
    assert.deepEqual(counts.rows[0], { c: N, h: r.households, m: N, e: r.lifeEvents });
  });

  test('the same seed gives the same rows, in the database and in the CSV; another seed differs', async () => {
    await generatePopulation(b, { citizens: N, seed: SEED, asOf: AS_OF });
    assert.equal(await fullHash(a), await fullHash(b));

    const csv1 = await writePopulationCsv({ citizens: N, seed: SEED, asOf: AS_OF, out: path.join(tmp, 's5a') });
    const csv2 = await writePopulationCsv({ citizens: N, seed: SEED, asOf: AS_OF, out: path.join(tmp, 's5b') });
    const csv3 = await writePopulationCsv({ citizens: N, seed: SEED + 1, asOf: AS_OF, out: path.join(tmp, 's6') });
    const [t1, t2, t3] = await Promise.all([csv1, csv2, csv3].map((c) => readFile(c.path, 'utf8')));
    assert.equal(csv1.citizens, N);
    assert.equal(sha(t1!), sha(t2!));
    assert.notEqual(sha(t1!), sha(t3!));
    assert.equal(t1!.split('\n')[0], CITIZEN_CSV_HEADER);
    assert.equal(Buffer.byteLength(t1!), csv1.bytes);

    // The CSV holds the same people as the database (CSV quoting aside, addresses hold commas).
    const { parse } = await import('csv-parse/sync');
    const recs = parse(t1!, { from_line: 2 }) as string[][];
    const fromCsv = recs.map((x) => x.join('|')).sort();
    const dbRows = await a.db.selectFrom('citizens')
      .select(['fin', 'last_name', 'first_name', 'patronymic', 'birth_date', 'sex', 'district_code', 'address', 'phone', 'id_card_number'])
      .execute();
    const dbLines = dbRows.map((c) => [c.fin, c.last_name, c.first_name, c.patronymic ?? '', c.birth_date, c.sex, c.district_code,
      c.address ?? '', c.phone ?? '', c.id_card_number ?? ''].join('|')).sort();
    assert.equal(fromCsv.length, N);
    assert.deepEqual(fromCsv, dbLines);
    assert.equal((await citizenRows(a)).length, N);
  });

  test('rows are plausible: ages, sexes, identifiers, households and events', async () => {
    const people = await a.db.selectFrom('citizens').selectAll().execute();
    assert.equal(people.length, N);
    const asOf = Date.parse(`${AS_OF}T00:00:00Z`);
    const ages = people.map((p) => (asOf - Date.parse(`${p.birth_date}T00:00:00Z`)) / (365.25 * 86_400_000));
    assert.ok(ages.every((x) => x >= 0 && x < 101), 'ages within 0..100');
    const share = (f: (x: number) => boolean) => ages.filter(f).length / ages.length;
    assert.ok(share((x) => x < 15) > 0.15 && share((x) => x < 15) < 0.32, `under 15: ${share((x) => x < 15)}`);
    assert.ok(share((x) => x >= 65) > 0.04 && share((x) => x >= 65) < 0.15, `65+: ${share((x) => x >= 65)}`);
    const male = people.filter((p) => p.sex === 'M').length / N;
    assert.ok(male > 0.44 && male < 0.56, `male share ${male}`);
    assert.ok(people.every((p) => isFin(p.fin)));
    assert.equal(new Set(people.map((p) => p.fin)).size, N);
    const prefixes = new Set(['10', '50', '51', '55', '60', '70', '77', '99']);
    for (const p of people) {
      if (p.phone !== null) {
        assert.ok(isPhone(p.phone), p.phone);
        assert.ok(prefixes.has(p.phone.slice(4, 6)), p.phone);
      }
      if (p.id_card_number !== null) assert.ok(isIdCardNumber(p.id_card_number), p.id_card_number);
      assert.match(p.patronymic ?? '', /^\S+ (oğlu|qızı)$/);
      assert.equal(p.patronymic!.endsWith('oğlu'), p.sex === 'M');
      if (p.sex === 'F') assert.match(p.last_name, /(ova|yeva|eva|ina|li|lı|lu|lü|zadə)$/);
    }
    assert.ok(people.filter((p) => p.phone !== null).length > N * 0.5);

    // Households: every citizen in exactly one, each with one head, members reference existing citizens.
    const hh = await sql<{ households: number; heads: number; orphans: number; multi: number; avg: number }>`
      select (select count(*) from households) as households,
             (select count(*) from household_members where relation = 'head') as heads,
             (select count(*) from household_members m left join citizens c using (citizen_id) where c.citizen_id is null) as orphans,
             (select count(*) from (select citizen_id from household_members group by citizen_id having count(*) > 1) x) as multi,
             (select count(*)::float8 / count(distinct household_id) from household_members) as avg`.execute(a.db);
    const s = hh.rows[0]!;
    assert.equal(s.heads, s.households);
    assert.equal(s.orphans, 0);
    assert.equal(s.multi, 0);
    assert.ok(s.avg > 3.5 && s.avg < 5.5, `average household ${s.avg}`);

    // Events: a birth for everyone on the birth date; data shapes per type.
    const births = await sql<{ n: number }>`
      select count(*) as n from citizens c join life_events e on e.citizen_id = c.citizen_id and e.type = 'birth' and e.occurred_on = c.birth_date`.execute(a.db);
    assert.equal(births.rows[0]!.n, N);
    const events = await a.db.selectFrom('life_events').select(['type', 'occurred_on', 'data', 'source']).execute();
    const byType = new Map<string, typeof events>();
    for (const e of events) byType.set(e.type, [...(byType.get(e.type) ?? []), e]);
    assert.ok((byType.get('marriage')?.length ?? 0) > N * 0.2);
    assert.ok((byType.get('employment_start')?.length ?? 0) > N * 0.05);
    const disabled = byType.get('disability_assessment') ?? [];
    assert.ok(disabled.length > N * 0.02 && disabled.length < N * 0.12, `disability ${disabled.length}`);
    for (const e of disabled) {
      const d = e.data as { degree: number; percent: number; assessed_by: string };
      assert.ok([1, 2, 3].includes(d.degree));
      assert.ok(d.percent >= 31 && d.percent <= 100);
      assert.equal(d.assessed_by, 'MSEC');
    }
    for (const e of byType.get('employment_start') ?? []) {
      const d = e.data as { employer: string; wage_azn: number; employer_voen: string };
      assert.ok(d.employer.length > 0);
      assert.ok(d.wage_azn >= 400 && d.wage_azn <= 12_000, String(d.wage_azn));
      assert.match(d.employer_voen, /^\d{9}1$/);
    }
    for (const e of byType.get('employment_end') ?? []) assert.ok(typeof (e.data as { reason: string }).reason === 'string');
    for (const e of byType.get('insurance_record') ?? []) {
      const d = e.data as { months: number; pension_capital_azn: number; as_of: string };
      assert.ok(d.months > 0 && d.pension_capital_azn >= 0 && /^\d{4}-\d{2}-\d{2}$/.test(d.as_of));
    }
    assert.ok(events.every((e) => e.occurred_on <= AS_OF));
    const deaths = await sql<{ mismatched: number }>`
      select count(*) as mismatched from citizens c
      where (c.death_date is not null) <> exists (select 1 from life_events e where e.citizen_id = c.citizen_id and e.type = 'death')`.execute(a.db);
    assert.equal(deaths.rows[0]!.mismatched, 0);
  });

  test('id sequences are moved past the generated ids', async () => {
    const max = await a.db.selectFrom('citizens').select((eb) => eb.fn.max('citizen_id').as('m')).executeTakeFirstOrThrow();
    const district = (await a.db.selectFrom('districts').select('district_code').executeTakeFirstOrThrow()).district_code;
    const r = await a.db.insertInto('citizens')
      .values({ fin: 'ZZZZZZ1', last_name: 'Yeni', first_name: 'Vətəndaş', birth_date: '2000-01-01', sex: 'M', district_code: district })
      .returning('citizen_id').executeTakeFirstOrThrow();
    assert.ok(Number(r.citizen_id) > Number(max.m));
    const h = await a.db.insertInto('households').values({ district_code: district }).returning('household_id').executeTakeFirstOrThrow();
    const hmax = await a.db.selectFrom('households').select((eb) => eb.fn.max('household_id').as('m')).where('household_id', '<>', h.household_id).executeTakeFirstOrThrow();
    assert.ok(Number(h.household_id) > Number(hmax.m));
  });

  test('rejects bad options', async () => {
    await assert.rejects(generatePopulation(a, { citizens: -1, seed: 1 }), RangeError);
    await assert.rejects(generatePopulation(a, { citizens: 10, seed: 1.5 }), RangeError);
    await assert.rejects(writePopulationCsv({ citizens: 10, seed: 1, asOf: '1.1.2026', out: tmp }), RangeError);
  });
});

describe('population model', () => {
  test('FINs are a bijection of the index: unique and valid', () => {
    const keys = [1, 2, 3, 4];
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) {
      const f = finFor(i, keys);
      assert.ok(isFin(f));
      seen.add(f);
    }
    assert.equal(seen.size, 200_000);
  });

  test('a large sample follows the age pyramid and household size of demography.json', async () => {
    const { names, demo } = await readPopulationFiles();
    const model = new PopulationModel(names, demo, await districtsFromFile(), 11, AS_OF);
    const bands = (lo: number, hi: number) => demo.age_bands.filter((x) => x.from >= lo && x.to <= hi).reduce((s, x) => s + x.share_pct, 0);
    let n = 0;
    let households = 0;
    let under15 = 0;
    let over65 = 0;
    for (let i = 0; n < 60_000; i++) {
      const h = model.household(i);
      households++;
      for (const p of h.members) {
        n++;
        if (p.age < 15) under15++;
        if (p.age >= 65) over65++;
      }
    }
    const avg = n / households;
    assert.ok(Math.abs(avg - demo.households.average_size) < 0.3, `average size ${avg}`);
    assert.ok(Math.abs((100 * under15) / n - bands(0, 14)) < 3, `under 15 ${(100 * under15) / n}% vs ${bands(0, 14)}%`);
    assert.ok(Math.abs((100 * over65) / n - bands(65, 99)) < 2, `65+ ${(100 * over65) / n}% vs ${bands(65, 99)}%`);
  });
});
