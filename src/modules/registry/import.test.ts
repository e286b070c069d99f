import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { CITIZEN_COLUMNS, csvLine, type CitizenColumn } from './csv.ts';
import { FIN_ALPHABET, isFin } from './identifiers.ts';
import { IMPORT_ERROR_CODES, IMPORT_MESSAGES, importCitizens, validateCitizen, type ImportOptions } from './import.ts';

let db: TestDatabase;
let district: string;
let districts: Set<string>;
const TODAY = '2026-11-01';

type Row = Record<CitizenColumn, string>;

let finCounter = 0;
/** A fresh valid FIN for every call (unique within this test file). */
function nextFin(prefix = 'T'): string {
  let n = finCounter++;
  let s = '';
  for (let i = 0; i < 6; i++) {
    s = FIN_ALPHABET[n % 34]! + s;
    n = Math.floor(n / 34);
  }
  return prefix + s;
}

function row(over: Partial<Row> = {}): Row {
  return {
    fin: nextFin(),
    last_name: 'Məmmədova',
    first_name: 'Günel',
    patronymic: 'Əli qızı',
    birth_date: '1985-03-14',
    sex: 'F',
    district_code: district,
    address: 'Bakı, Nizami küç. 5, mənzil 12',
    phone: '+994501234567',
    id_card_number: 'AA1234567',
    ...over,
  };
}

function csv(rows: Row[], columns: readonly string[] = CITIZEN_COLUMNS): string {
  return csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c as CitizenColumn]))).join('');
}

const run = (text: string, opts: ImportOptions = {}) => importCitizens(db, Readable.from([Buffer.from(text, 'utf8')]), { today: TODAY, ...opts });

async function count(fins: string[]): Promise<number> {
  const r = await db.db.selectFrom('citizens').select((eb) => eb.fn.countAll<number>().as('n')).where('fin', 'in', fins).executeTakeFirstOrThrow();
  return Number(r.n);
}

before(async () => {
  db = await createTestDatabase();
  const rows = await db.db.selectFrom('districts').select('district_code').orderBy('district_code').execute();
  districts = new Set(rows.map((r) => r.district_code));
  district = rows[0]!.district_code;
});
after(async () => {
  await db?.close();
});

describe('importCitizens', () => {
  test('imports a good file; rows are queryable with Azerbaijani letters and normalised values', async () => {
    const a = row({ last_name: 'Əliyev', first_name: 'Şahin', patronymic: 'Çingiz oğlu', sex: 'm', phone: '+994 (55) 123-45-67' });
    const b = row({ patronymic: '', address: '', phone: '', id_card_number: '' });
    const c = row({ fin: nextFin().toLowerCase(), address: 'Gəncə, "Qızılqaya" məhəlləsi, ev 3', id_card_number: 'AZE12345678' });
    // Columns in another order than the generator writes them.
    const cols = [...CITIZEN_COLUMNS].reverse();
    const progress: { rows: number; bytes: number }[] = [];
    const r = await run(csv([a, b, c], cols), { onProgress: (p) => progress.push(p) });
    assert.deepEqual(r.errors, []);
    assert.equal(r.imported, 3);
    assert.equal(r.rejected, 0);
    assert.ok(r.durationMs >= 0);
    assert.equal(progress.at(-1)?.rows, 3);
    assert.ok(progress.at(-1)!.bytes > 0);
    const got = await db.db.selectFrom('citizens').selectAll().where('fin', 'in', [a.fin, b.fin, c.fin.toUpperCase()]).orderBy('citizen_id').execute();
    assert.equal(got.length, 3);
    assert.equal(got[0]!.last_name, 'Əliyev');
    assert.equal(got[0]!.first_name, 'Şahin');
    assert.equal(got[0]!.patronymic, 'Çingiz oğlu');
    assert.equal(got[0]!.sex, 'M');
    assert.equal(got[0]!.phone, '+994551234567');
    assert.equal(got[0]!.birth_date, '1985-03-14');
    assert.equal(got[0]!.district_code, district);
    assert.equal(got[1]!.patronymic, null);
    assert.equal(got[1]!.address, null);
    assert.equal(got[1]!.phone, null);
    assert.equal(got[1]!.id_card_number, null);
    assert.equal(got[2]!.fin, c.fin.toUpperCase());
    assert.equal(got[2]!.address, 'Gəncə, "Qızılqaya" məhəlləsi, ev 3');
  });

  test('three bad rows of different kinds: nothing is written and all three are reported with line and code', async () => {
    const good = [row(), row(), row()];
    const rows = [good[0]!, row({ fin: 'ABCDEFI' }), good[1]!, row({ birth_date: '1990-02-30' }), row({ district_code: 'NOWHERE' }), good[2]!];
    const r = await run(csv(rows));
    assert.equal(r.imported, 0);
    assert.equal(r.rejected, 3);
    assert.deepEqual(
      r.errors.map((e) => [e.line, e.field, e.code]),
      [
        [3, 'fin', 'fin_invalid'],
        [5, 'birth_date', 'date_invalid'],
        [6, 'district_code', 'district_unknown'],
      ],
    );
    for (const e of r.errors) assert.ok(e.message.length > 0);
    assert.equal(await count(good.map((g) => g.fin)), 0);
  });

  test('skipInvalid writes the good rows and reports the bad ones', async () => {
    const good = [row(), row(), row()];
    const rows = [good[0]!, row({ fin: 'ABCDEFI' }), good[1]!, row({ birth_date: '1990-02-30' }), row({ district_code: 'NOWHERE' }), good[2]!];
    const r = await run(csv(rows), { skipInvalid: true });
    assert.equal(r.imported, 3);
    assert.equal(r.rejected, 3);
    assert.deepEqual(r.errors.map((e) => [e.line, e.code]), [[3, 'fin_invalid'], [5, 'date_invalid'], [6, 'district_unknown']]);
    assert.equal(await count(good.map((g) => g.fin)), 3);
  });

  test('every kind of field problem has its code', async () => {
    const cases: [Partial<Row>, string, string][] = [
      [{ last_name: '' }, 'last_name', 'required'],
      [{ first_name: 'A'.repeat(101) }, 'first_name', 'too_long'],
      [{ birth_date: '2031-01-01' }, 'birth_date', 'date_in_future'],
      [{ birth_date: '1899-12-31' }, 'birth_date', 'date_before_1900'],
      [{ birth_date: '14.03.1985' }, 'birth_date', 'date_invalid'],
      [{ sex: 'X' }, 'sex', 'sex_invalid'],
      [{ phone: '+99450123456' }, 'phone', 'phone_invalid'],
      [{ id_card_number: 'AA12345' }, 'id_card_number', 'id_card_invalid'],
      [{ address: 'Bakı\u0000' }, 'address', 'invalid_char'],
      [{ last_name: 'Əli\ufffdyev' }, 'last_name', 'encoding_invalid'],
    ];
    const r = await run(csv(cases.map(([o]) => row(o))));
    assert.equal(r.imported, 0);
    assert.deepEqual(r.errors.map((e) => [e.line, e.field, e.code]), cases.map(([, f, c], i) => [i + 2, f, c]));
  });

  test('a FIN already in the registry is reported (fin_exists), in both modes and across batches', async () => {
    const existing = row();
    assert.equal((await run(csv([existing]))).imported, 1);
    const others = [row(), row(), row(), row(), row()];
    const rows = [others[0]!, others[1]!, others[2]!, row({ fin: existing.fin, first_name: 'Başqa' }), others[3]!, others[4]!];
    for (const batchSize of [50_000, 2]) {
      const strict = await run(csv(rows), { batchSize });
      assert.equal(strict.imported, 0, `batch ${batchSize}`);
      assert.deepEqual(strict.errors.map((e) => [e.line, e.field, e.code]), [[5, 'fin', 'fin_exists']]);
      assert.equal(await count(others.map((o) => o.fin)), 0);
    }
    const lenient = await run(csv(rows), { skipInvalid: true, batchSize: 2 });
    assert.equal(lenient.imported, 5);
    assert.equal(lenient.rejected, 1);
    assert.deepEqual(lenient.errors.map((e) => [e.line, e.code]), [[5, 'fin_exists']]);
    assert.equal(await count(others.map((o) => o.fin)), 5);
    const kept = await db.db.selectFrom('citizens').select('first_name').where('fin', '=', existing.fin).execute();
    assert.deepEqual(kept, [{ first_name: 'Günel' }]);
  });

  test('rows after the first bad one still get the fin_exists check', async () => {
    const existing = row();
    assert.equal((await run(csv([existing]))).imported, 1);
    const r = await run(csv([row({ sex: '?' }), row(), row({ fin: existing.fin })]), { batchSize: 2 });
    assert.deepEqual(r.errors.map((e) => [e.line, e.code]), [[2, 'sex_invalid'], [4, 'fin_exists']]);
    assert.equal(r.imported, 0);
  });

  test('duplicate FINs in the file name the first line', async () => {
    const a = row();
    const r = await run(csv([a, row(), row({ fin: a.fin })]), { locale: 'en' });
    assert.equal(r.imported, 0);
    assert.equal(r.errors.length, 1);
    assert.deepEqual([r.errors[0]!.line, r.errors[0]!.code], [4, 'duplicate_in_file']);
    assert.match(r.errors[0]!.message, /first on line 2/);
  });

  test('line numbers count line breaks inside quoted fields and blank lines', async () => {
    const multi = row({ address: 'Bakı,\nNizami küç. 5\nmənzil 1' });
    const text = `${csvLine(CITIZEN_COLUMNS)}${csvLine(CITIZEN_COLUMNS.map((c) => multi[c]))}\n${csvLine(CITIZEN_COLUMNS.map((c) => row({ sex: 'Q' })[c]))}`;
    // Header on line 1, the three-line row on 2–4 (an address is one line: rejected), a blank
    // line 5, the bad row on line 6.
    const r = await run(text);
    assert.deepEqual(r.errors.map((e) => [e.line, e.field, e.code]), [[2, 'address', 'invalid_char'], [6, 'sex', 'sex_invalid']]);
  });

  test('missing, unknown and duplicate columns are reported and nothing is read', async () => {
    const cols = CITIZEN_COLUMNS.filter((c) => c !== 'birth_date');
    const r = await run(csv([row()], [...cols, 'nickname', 'fin']));
    assert.equal(r.imported, 0);
    assert.deepEqual(
      r.errors.map((e) => [e.line, e.field, e.code]).sort(),
      [[1, 'birth_date', 'column_missing'], [1, 'fin', 'column_duplicate'], [1, 'nickname', 'column_unknown']].sort(),
    );
    const missing = r.errors.find((e) => e.code === 'column_missing')!;
    assert.match(missing.message, /birth_date/);
  });

  test('an empty file, a wrong field count and malformed CSV are reported', async () => {
    assert.deepEqual((await run('')).errors.map((e) => e.code), ['header_missing']);
    const good = row();
    const short = `${csv([good])}${good.fin},only,three\n`;
    const r = await run(short, { skipInvalid: true });
    assert.deepEqual(r.errors.map((e) => [e.line, e.code]), [[3, 'column_count']]);
    assert.equal(r.imported, 1);
    const broken = `${csv([row()])}${nextFin()},"unterminated,Ad\n`;
    const m = await run(broken, { skipInvalid: true });
    assert.equal(m.imported, 0);
    assert.equal(m.errors.at(-1)?.code, 'csv_malformed');
  });

  test('messages come in the requested language', async () => {
    const bad = csv([row({ fin: 'bad' })]);
    const az = await run(bad, { locale: 'az' });
    const ru = await run(bad, { locale: 'ru' });
    const en = await run(bad, { locale: 'en' });
    assert.equal(az.errors[0]!.code, 'fin_invalid');
    assert.equal(ru.errors[0]!.code, 'fin_invalid');
    assert.notEqual(az.errors[0]!.message, ru.errors[0]!.message);
    assert.notEqual(ru.errors[0]!.message, en.errors[0]!.message);
    assert.match(az.errors[0]!.message, /FİN/);
    assert.match(ru.errors[0]!.message, /ФИН/);
    const missing = await run(csv([row()], CITIZEN_COLUMNS.slice(1)), { locale: 'ru' });
    assert.match(missing.errors[0]!.message, /Отсутствует столбец: fin/);
  });

  test('every code has a message in az, ru and en', () => {
    for (const code of IMPORT_ERROR_CODES) {
      const m = IMPORT_MESSAGES[code];
      assert.ok(m.az && m.ru && m.en, code);
      assert.notEqual(m.az, m.ru, code);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: the validator and the database agree.

const finArb = fc.string({ unit: fc.constantFrom(...FIN_ALPHABET.split('')), minLength: 7, maxLength: 7 });
const azLetters = 'abcçdeəfgğhxıijkqlmnoöprsştuüvyzABCÇDEƏFGĞHXIİJKQLMNOÖPRSŞTUÜVYZ \'-'.split('');
const nameArb = fc.string({ unit: fc.constantFrom(...azLetters), minLength: 1, maxLength: 100 }).filter((s) => s.trim().length > 0);
const dateArb = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: n, maxLength: n });
const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));

function rowArb(): fc.Arbitrary<Row> {
  return fc.record({
    fin: finArb,
    last_name: nameArb,
    first_name: nameArb,
    patronymic: fc.oneof(fc.constant(''), nameArb),
    birth_date: dateArb,
    sex: fc.constantFrom('M', 'F', 'm', 'f'),
    district_code: fc.constantFrom(...districts),
    address: fc.oneof(fc.constant(''), fc.string({ maxLength: 300 })),
    phone: fc.oneof(fc.constant(''), digits(9).map((d) => `+994${d}`), digits(9).map((d) => `0${d}`)),
    id_card_number: fc.oneof(
      fc.constant(''),
      digits(7).map((d) => `AA${d}`),
      digits(8).map((d) => `AZE${d}`),
      fc.tuple(upper, upper, digits(7)).map(([a, b, d]) => `${a}${b}${d}`),
    ),
  });
}

/** Random edits of one field: junk, unicode, control characters, quotes, line breaks, truncation. */
const mutationArb = fc.record({
  field: fc.constantFrom(...CITIZEN_COLUMNS),
  kind: fc.constantFrom('replace', 'insert', 'truncate', 'empty', 'pad', 'case'),
  text: fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    fc.constantFrom('\u0000', '"', '""', ',', '\n', '\r\n', '\\', '\t', 'İ', 'ı', '+994', '9999-99-99', '2000-02-29', '2001-02-29', 'O', 'I'),
  ),
  pos: fc.nat(),
});

function mutate(r: Row, m: { field: CitizenColumn; kind: string; text: string; pos: number }): Row {
  const v = r[m.field];
  const p = v.length === 0 ? 0 : m.pos % (v.length + 1);
  const next =
    m.kind === 'replace' ? m.text
    : m.kind === 'insert' ? v.slice(0, p) + m.text + v.slice(p)
    : m.kind === 'truncate' ? v.slice(0, p)
    : m.kind === 'empty' ? ''
    : m.kind === 'pad' ? ` ${v}${m.text} `
    : v.toLowerCase();
  return { ...r, [m.field]: next };
}

describe('validator and database agree (property)', () => {
  test('rows the validator accepts are accepted by the database', async () => {
    const ctx = { districts, today: TODAY };
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb(), { minLength: 1, maxLength: 8 }), async (rows) => {
        const fresh = rows.map((r) => ({ ...r, fin: nextFin('P') }));
        for (const r of fresh) assert.ok(validateCitizen(r, ctx).ok, JSON.stringify(validateCitizen(r, ctx)));
        const rep = await run(csv(fresh));
        assert.deepEqual(rep.errors, []);
        assert.equal(rep.imported, fresh.length);
      }),
      { numRuns: 40 },
    );
  });

  test('a mutated valid row is either rejected with a code or stored — never a database error', async () => {
    const codes = new Set<string>(IMPORT_ERROR_CODES);
    await fc.assert(
      fc.asyncProperty(rowArb(), mutationArb, async (base, m) => {
        const mutated = mutate({ ...base, fin: nextFin('Q') }, m);
        const rep = await run(csv([mutated])); // throws on a database error
        if (rep.imported === 1) {
          assert.deepEqual(rep.errors, []);
          const fin = mutated.fin.trim().toUpperCase();
          assert.ok(isFin(fin));
          assert.equal(await count([fin]), 1);
        } else {
          assert.ok(rep.errors.length > 0);
          for (const e of rep.errors) assert.ok(codes.has(e.code), e.code);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('possible duplicates (issue 9)', () => {
  test('a person identical to an existing one (same names, birth date and district, another FIN) imports with a warning on its line, the other FIN masked, and the pair queued', async () => {
    const who = { last_name: 'Quliyeva', first_name: 'Səbinə', patronymic: 'Vaqif qızı', birth_date: '1991-07-23', sex: 'F' };
    const first = row(who);
    assert.equal((await run(csv([first]))).imported, 1);
    const unrelated = row({ last_name: 'Nəsirova', first_name: 'Aytən', patronymic: 'Rafiq qızı', birth_date: '1993-01-05' });
    const again = row(who);
    const russian = row({ ...who, last_name: 'Кулиева', first_name: 'Сабина', patronymic: 'Вагиф кызы' });
    const report = await run(csv([unrelated, again, russian]), { locale: 'en' });
    assert.equal(report.imported, 3);
    assert.equal(report.errors.length, 0);
    const mine = report.warnings.filter((w) => w.line === 3 || w.line === 4);
    // Line 3 is the same person as the registry's; line 4 (Cyrillic) is both of them.
    assert.equal(mine.filter((w) => w.line === 3).length, 1, JSON.stringify(report.warnings));
    assert.equal(mine.filter((w) => w.line === 4).length, 2, JSON.stringify(report.warnings));
    assert.ok(report.warnings.every((w) => w.line !== 2), 'the unrelated person is not warned about');
    assert.ok(report.possibleDuplicates >= 3);
    const w3 = mine.find((w) => w.line === 3)!;
    assert.equal(w3.code, 'possible_duplicate');
    assert.ok(w3.message.includes(`${first.fin.slice(0, 1)}******`), w3.message);
    assert.ok(!w3.message.includes(first.fin), 'the existing FIN is masked');
    const queued = (await sql<{ fin: string; found_by: string; status: string }>`select c.fin, p.found_by, p.status from person_match_candidates p
      join citizens c on c.citizen_id = p.high_citizen_id where c.fin in (${again.fin}, ${russian.fin})`.execute(db.db)).rows;
    assert.ok(queued.length >= 2 && queued.every((q) => q.found_by === 'import' && q.status === 'open'));
    // The Azerbaijani message has no English in it.
    const az = await run(csv([row(who)]), { locale: 'az' });
    assert.ok(az.warnings.length >= 1 && az.warnings[0]!.message.startsWith('Bu şəxs reyestrdə'));
  });
});
