/**
 * Bulk import of citizens from CSV (`dost import citizens FILE`).
 *
 * The file is streamed through csv-parse, every row is validated here (so the database never
 * sees a row that would break a constraint), and good rows are written with COPY ... FROM STDIN
 * in batches, all inside one transaction:
 *
 * - without `skipInvalid`, any bad row means nothing is written; the report lists every bad row;
 * - with `skipInvalid`, the good rows are written and the bad ones reported.
 *
 * "FIN already in the registry" is checked without a per-row lookup: each batch is copied straight
 * into `citizens` under a savepoint, so the unique index does the check; only when it fires do we
 * roll the batch back, look its FINs up in one query, report the ones that exist and copy the
 * rest again. Duplicates within the file are caught before that, in memory, with a compact hash
 * set of encoded FINs (8 bytes per row, not row objects). Parsing in Node and inserting in the
 * server overlap: a batch is streamed to COPY while it is being parsed.
 *
 * Auditing the import is the caller's job.
 */
import { pipeline, type Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { parse, CsvError } from 'csv-parse';
import type { Database, RawConnection } from '../../platform/db.ts';
import { bakuDate } from '../../platform/calendar.ts';
import { format, type Locale, type Translated } from '../../platform/i18n.ts';
import { FIN_ALPHABET, isFin, isIdCardNumber, isPhone, normalizeFin } from './identifiers.ts';
import { CITIZEN_COLUMNS, MAX_LENGTH, REQUIRED_COLUMNS, copyField, type CitizenColumn } from './csv.ts';
import { matchStatement, readMatchingParameters, toPairs } from './matching.ts';

/** Stable codes of everything the import can reject. */
export const IMPORT_ERROR_CODES = [
  'header_missing',
  'column_missing',
  'column_unknown',
  'column_duplicate',
  'csv_malformed',
  'column_count',
  'required',
  'too_long',
  'invalid_char',
  'encoding_invalid',
  'fin_invalid',
  'date_invalid',
  'date_in_future',
  'date_before_1900',
  'sex_invalid',
  'district_unknown',
  'phone_invalid',
  'id_card_invalid',
  'duplicate_in_file',
  'fin_exists',
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

/** Message per code and language; `{field}`, `{value}`, `{max}`, ... are filled in per error. */
export const IMPORT_MESSAGES: Record<ImportErrorCode, Translated> = {
  header_missing: {
    az: 'Faylda başlıq sətri yoxdur',
    ru: 'В файле нет строки заголовка',
    en: 'The file has no header line',
  },
  column_missing: {
    az: 'Sütun yoxdur: {field}',
    ru: 'Отсутствует столбец: {field}',
    en: 'Missing column: {field}',
  },
  column_unknown: {
    az: 'Naməlum sütun: {field}',
    ru: 'Неизвестный столбец: {field}',
    en: 'Unknown column: {field}',
  },
  column_duplicate: {
    az: 'Sütun təkrarlanır: {field}',
    ru: 'Столбец повторяется: {field}',
    en: 'Duplicate column: {field}',
  },
  csv_malformed: {
    az: 'CSV formatı pozulub: {detail}',
    ru: 'Нарушен формат CSV: {detail}',
    en: 'Malformed CSV: {detail}',
  },
  column_count: {
    az: 'Sətirdə {actual} sahə var, {expected} olmalıdır',
    ru: 'В строке {actual} полей, а должно быть {expected}',
    en: 'The row has {actual} fields, {expected} expected',
  },
  required: {
    az: '{field} sahəsi doldurulmalıdır',
    ru: 'Поле {field} обязательно',
    en: '{field} is required',
  },
  too_long: {
    az: '{field} sahəsi {max} simvoldan uzun olmamalıdır',
    ru: 'Поле {field} длиннее {max} символов',
    en: '{field} is longer than {max} characters',
  },
  invalid_char: {
    az: '{field} sahəsində icazəsiz (idarəedici) simvol var',
    ru: 'Поле {field} содержит недопустимый (управляющий) символ',
    en: '{field} contains a control character',
  },
  encoding_invalid: {
    az: '{field} sahəsi UTF-8 kodlaşmasında deyil',
    ru: 'Поле {field} не в кодировке UTF-8',
    en: '{field} is not valid UTF-8',
  },
  fin_invalid: {
    az: 'FİN yanlışdır: «{value}» (7 simvol: rəqəmlər və I, O-dan başqa böyük latın hərfləri)',
    ru: 'Неверный ФИН: «{value}» (7 символов: цифры и заглавные латинские буквы, кроме I и O)',
    en: 'Invalid FIN "{value}" (7 characters: digits and capital Latin letters except I and O)',
  },
  date_invalid: {
    az: 'Doğum tarixi yanlışdır: «{value}» (İİİİ-AA-GG formatında real tarix olmalıdır)',
    ru: 'Неверная дата рождения: «{value}» (нужна существующая дата в формате ГГГГ-ММ-ДД)',
    en: 'Invalid birth date "{value}" (a real date written YYYY-MM-DD is expected)',
  },
  date_in_future: {
    az: 'Doğum tarixi gələcəkdədir: {value}',
    ru: 'Дата рождения в будущем: {value}',
    en: 'Birth date is in the future: {value}',
  },
  date_before_1900: {
    az: 'Doğum tarixi 1900-01-01-dən əvvəl ola bilməz: {value}',
    ru: 'Дата рождения не может быть раньше 1900-01-01: {value}',
    en: 'Birth date cannot be before 1900-01-01: {value}',
  },
  sex_invalid: {
    az: 'Cins M (kişi) və ya F (qadın) olmalıdır: «{value}»',
    ru: 'Пол должен быть M (мужской) или F (женский): «{value}»',
    en: 'Sex must be M or F: "{value}"',
  },
  district_unknown: {
    az: 'Naməlum rayon kodu: «{value}»',
    ru: 'Неизвестный код района: «{value}»',
    en: 'Unknown district code "{value}"',
  },
  phone_invalid: {
    az: 'Telefon nömrəsi +994 və 9 rəqəmdən ibarət olmalıdır: «{value}»',
    ru: 'Номер телефона должен состоять из +994 и 9 цифр: «{value}»',
    en: 'Phone must be +994 followed by 9 digits: "{value}"',
  },
  id_card_invalid: {
    az: 'Şəxsiyyət vəsiqəsinin nömrəsi yanlışdır: «{value}» (AA+7 rəqəm, AZE+8 rəqəm və ya 2 hərf+7 rəqəm)',
    ru: 'Неверный номер удостоверения личности: «{value}» (AA+7 цифр, AZE+8 цифр или 2 буквы+7 цифр)',
    en: 'Invalid ID card number "{value}" (AA+7 digits, AZE+8 digits or 2 letters+7 digits)',
  },
  duplicate_in_file: {
    az: 'FİN {value} faylda təkrarlanır (ilk dəfə sətir {first})',
    ru: 'ФИН {value} повторяется в файле (впервые в строке {first})',
    en: 'FIN {value} appears more than once in the file (first on line {first})',
  },
  fin_exists: {
    az: 'FİN {value} artıq reyestrdə var',
    ru: 'ФИН {value} уже есть в реестре',
    en: 'FIN {value} is already in the registry',
  },
};

/** The warning for an imported row that may be a person already in the registry (the other FIN masked). */
export const POSSIBLE_DUPLICATE_MESSAGE: Translated = {
  az: 'Bu şəxs reyestrdə artıq FİN {fin} ilə ola bilər (ad, soyad və doğum tarixi uyğundur); cüt yoxlama növbəsinə göndərildi',
  ru: 'Возможно, этот человек уже есть в реестре с ФИН {fin} (совпадают фамилия, имя и дата рождения); пара отправлена на проверку',
  en: 'This person may already be in the registry under FIN {fin} (names and birth date match); the pair is queued for review',
};
/** At most this many possible-duplicate warnings are listed in a report (all are counted and queued). */
export const MAX_DUPLICATE_WARNINGS = 1000;

/** A FIN shown in a warning: its first character only. */
export const maskFin = (fin: string): string => `${fin.slice(0, 1)}******`;

/** One rejected value: the CSV line (1 = header), the column, a stable code and a message. */
export interface ImportError {
  line: number;
  field: string;
  code: string;
  message: string;
}

export interface ImportReport {
  imported: number;
  /** Rows rejected (a row with several problems counts once; the header counts as none). */
  rejected: number;
  errors: ImportError[];
  /** Imported rows that may be a person already in the registry (each pair queued for review). */
  possibleDuplicates: number;
  /** One warning per such pair (code possible_duplicate, on the imported row's line), at most MAX_DUPLICATE_WARNINGS. */
  warnings: ImportError[];
  durationMs: number;
}

export interface ImportOptions {
  /** Write the good rows and report the bad ones, instead of writing nothing when any row is bad. */
  skipInvalid?: boolean;
  /** Language of the error messages; az by default. */
  locale?: Locale;
  /** Called every few thousand rows and at the end: rows read so far and bytes parsed. */
  onProgress?: (p: { rows: number; bytes: number }) => void;
  /** Rows per COPY (50,000 by default). */
  batchSize?: number;
  /** "Today" for the future-date check, YYYY-MM-DD; by default the current date in Baku (UTC+4). */
  today?: string;
}

/** What the row validator needs: the known district codes and today's date. */
export interface ValidationContext {
  districts: ReadonlySet<string>;
  today: string;
}

/** One problem the validator found in a row. */
export interface FieldProblem {
  field: CitizenColumn;
  code: ImportErrorCode;
  params: Record<string, string | number>;
}

/** Today's date in Baku (UTC+4, no daylight saving), YYYY-MM-DD. */
export const bakuToday = (): string => bakuDate(new Date());

// ---------------------------------------------------------------------------------------------
// Row validation. `values` and `out` are in CITIZEN_COLUMNS order.

const COL = Object.fromEntries(CITIZEN_COLUMNS.map((c, i) => [c, i])) as Record<CitizenColumn, number>;
const NCOLS = CITIZEN_COLUMNS.length;
// C0 and C1 control characters and DEL (NUL would be refused by PostgreSQL; the rest are junk in a
// register), and U+FFFD, which the UTF-8 decoder puts where the file had invalid bytes.
const BAD_CHAR = /[\u0000-\u001f\u007f-\u009f\ufffd]/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PHONE_NOISE = /[\s()\-.]/g;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const shorten = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

function checkDate(s: string): ImportErrorCode | null {
  const m = DATE_RE.exec(s);
  if (!m) return 'date_invalid';
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return 'date_invalid';
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!;
  if (d > dim) return 'date_invalid';
  if (s < '1900-01-01') return 'date_before_1900';
  return null;
}

/** Brings a phone written as "+994 50 123-45-67", "994501234567" or "0501234567" to +994501234567. */
function normalizePhone(s: string): string {
  let p = s.replace(PHONE_NOISE, '');
  if (p.startsWith('00994')) p = `+${p.slice(2)}`;
  else if (p.startsWith('994')) p = `+${p}`;
  else if (p.length === 10 && p.startsWith('0')) p = `+994${p.slice(1)}`;
  return p;
}

/**
 * Validates and normalises one row. Writes the value to store for each column into `out`
 * (null for an empty optional column) and appends problems to `problems`; returns true when the
 * row is good. Checks everything except duplicates and FINs already in the registry.
 */
function validateInto(values: readonly string[], ctx: ValidationContext, out: (string | null)[], problems: FieldProblem[]): boolean {
  const before = problems.length;
  for (let i = 0; i < NCOLS; i++) {
    const field = CITIZEN_COLUMNS[i]!;
    const v = (values[i] ?? '').trim();
    if (v.length === 0) {
      out[i] = null;
      if (REQUIRED_COLUMNS.has(field)) problems.push({ field, code: 'required', params: { field } });
      continue;
    }
    if (BAD_CHAR.test(v)) {
      out[i] = null;
      problems.push({ field, code: v.includes('\ufffd') ? 'encoding_invalid' : 'invalid_char', params: { field } });
      continue;
    }
    switch (field) {
      case 'fin': {
        const f = isFin(v) ? v : normalizeFin(v);
        if (!isFin(f)) problems.push({ field, code: 'fin_invalid', params: { field, value: shorten(v) } });
        out[i] = f;
        break;
      }
      case 'birth_date': {
        let code = checkDate(v);
        if (code === null && v > ctx.today) code = 'date_in_future';
        if (code !== null) problems.push({ field, code, params: { field, value: shorten(v) } });
        out[i] = v;
        break;
      }
      case 'sex': {
        const s = v === 'M' || v === 'F' ? v : v.toUpperCase();
        if (s !== 'M' && s !== 'F') problems.push({ field, code: 'sex_invalid', params: { field, value: shorten(v) } });
        out[i] = s;
        break;
      }
      case 'district_code': {
        const d = ctx.districts.has(v) ? v : v.toUpperCase();
        if (!ctx.districts.has(d)) problems.push({ field, code: 'district_unknown', params: { field, value: shorten(v) } });
        out[i] = d;
        break;
      }
      case 'phone': {
        const p = isPhone(v) ? v : normalizePhone(v);
        if (!isPhone(p)) problems.push({ field, code: 'phone_invalid', params: { field, value: shorten(v) } });
        out[i] = p;
        break;
      }
      case 'id_card_number': {
        const c = isIdCardNumber(v) ? v : v.toUpperCase().replace(/\s+/g, '');
        if (!isIdCardNumber(c)) problems.push({ field, code: 'id_card_invalid', params: { field, value: shorten(v) } });
        out[i] = c;
        break;
      }
      default: {
        // last_name, first_name, patronymic, address
        if (v.length > MAX_LENGTH[field]) problems.push({ field, code: 'too_long', params: { field, max: MAX_LENGTH[field] } });
        out[i] = v;
      }
    }
  }
  return problems.length === before;
}

/**
 * Validates one citizen row given as column → text (as read from CSV). On success returns the
 * normalised values in CITIZEN_COLUMNS order (null = empty optional column); such a row is
 * accepted by the database's constraints. Duplicates and existing FINs are not checked here.
 */
export function validateCitizen(
  row: Partial<Record<CitizenColumn, string>>,
  ctx: ValidationContext,
): { ok: true; values: (string | null)[] } | { ok: false; problems: FieldProblem[] } {
  const out: (string | null)[] = new Array(NCOLS).fill(null);
  const problems: FieldProblem[] = [];
  const ok = validateInto(CITIZEN_COLUMNS.map((c) => row[c] ?? ''), ctx, out, problems);
  return ok ? { ok: true, values: out } : { ok: false, problems };
}

/** Message for a code in a language. */
export function importMessage(code: ImportErrorCode, locale: Locale, params: Record<string, string | number> = {}): string {
  return format(IMPORT_MESSAGES[code][locale], params);
}

// ---------------------------------------------------------------------------------------------
// A set of FINs (with the line each was first seen on) that costs 12 bytes per FIN rather than
// a string and a Map entry: FINs are encoded as numbers below 34^7 < 2^36 in open addressing.

const FIN_DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < FIN_ALPHABET.length; i++) FIN_DIGIT[FIN_ALPHABET.charCodeAt(i)] = i;

/** Encodes a valid FIN as an integer in [0, 34^7). */
export function encodeFin(fin: string): number {
  let n = 0;
  for (let i = 0; i < 7; i++) n = n * 34 + FIN_DIGIT[fin.charCodeAt(i)]!;
  return n;
}

/** Inverse of {@link encodeFin}. */
export function decodeFin(n: number): string {
  let s = '';
  for (let i = 0; i < 7; i++) {
    s = FIN_ALPHABET[n % 34]! + s;
    n = Math.floor(n / 34);
  }
  return s;
}

class FinSet {
  private keys: Float64Array;
  private lines: Uint32Array;
  private mask: number;
  private count = 0;
  constructor(capacity = 1 << 16) {
    this.keys = new Float64Array(capacity);
    this.lines = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }
  private static slot(key: number, mask: number): number {
    // Mixes the low and high parts of the key (< 2^36) into a 32-bit hash.
    const lo = key % 0x100000000;
    const hi = (key - lo) / 0x100000000;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h & mask;
  }
  /** Adds `fin` first seen on `line`; returns 0 if new, else the line it was first seen on. */
  add(fin: string, line: number): number {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const key = encodeFin(fin) + 1; // 0 marks an empty slot
    let i = FinSet.slot(key, this.mask);
    for (;;) {
      const k = this.keys[i]!;
      if (k === 0) {
        this.keys[i] = key;
        this.lines[i] = line;
        this.count++;
        return 0;
      }
      if (k === key) return this.lines[i]!;
      i = (i + 1) & this.mask;
    }
  }
  /** The line `fin` was first seen on, or 0. */
  get(fin: string): number {
    const key = encodeFin(fin) + 1;
    for (let i = FinSet.slot(key, this.mask); ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === 0) return 0;
      if (k === key) return this.lines[i]!;
    }
  }
  private grow(): void {
    const oldKeys = this.keys;
    const oldLines = this.lines;
    this.keys = new Float64Array(oldKeys.length * 2);
    this.lines = new Uint32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const key = oldKeys[j]!;
      if (key === 0) continue;
      let i = FinSet.slot(key, this.mask);
      while (this.keys[i] !== 0) i = (i + 1) & this.mask;
      this.keys[i] = key;
      this.lines[i] = oldLines[j]!;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading records one at a time without a promise per record.

type Rec = string[];

class RecordSource {
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private signalled = false; // 'readable' fired while nobody was waiting
  constructor(private readonly stream: Readable) {
    const notify = () => {
      const w = this.wake;
      this.wake = null;
      if (w) w();
      else this.signalled = true;
    };
    stream.on('readable', notify);
    stream.on('end', () => {
      this.ended = true;
      notify();
    });
    stream.on('error', (e: Error) => {
      this.failure ??= e;
      notify();
    });
  }
  fail(e: Error): void {
    this.failure ??= e;
    const w = this.wake;
    this.wake = null;
    w?.();
  }
  /** A record, null at the end, or undefined when none is buffered yet (then await wait()). */
  read(): Rec | null | undefined {
    if (this.failure) throw this.failure;
    this.signalled = false;
    const r = this.stream.read() as Rec | null;
    if (r !== null) return r;
    return this.ended ? null : undefined;
  }
  wait(): Promise<void> {
    if (this.failure || this.ended || this.signalled) return Promise.resolve();
    return new Promise((resolve) => (this.wake = resolve));
  }
}

// ---------------------------------------------------------------------------------------------

const COPY_SQL = `COPY citizens (${CITIZEN_COLUMNS.join(', ')}) FROM STDIN`;
const CHUNK_CHARS = 1 << 16;
const PROGRESS_EVERY = 10_000;

/**
 * Valid rows of one batch: their COPY text in chunks of about 64 KiB (kept for a retry after a
 * unique violation) and per row the encoded FIN and the CSV line, in typed arrays so that a
 * batch does not leave tens of thousands of small objects for the garbage collector.
 */
class Batch {
  chunks: string[] = [];
  fins: Float64Array;
  lines: Uint32Array;
  n = 0;
  constructor(capacity: number) {
    this.fins = new Float64Array(capacity);
    this.lines = new Uint32Array(capacity);
  }
  add(fin: string, line: number): void {
    this.fins[this.n] = encodeFin(fin);
    this.lines[this.n] = line;
    this.n++;
  }
  fin(i: number): string {
    return decodeFin(this.fins[i]!);
  }
  /** Drops rows `bad` (indexes); all rows must be in `chunks`. */
  keepOnly(bad: ReadonlySet<number>): void {
    const rows = this.chunks.join('').split('\n');
    rows.pop(); // after the last line break
    if (rows.length !== this.n) throw new Error(`import: batch holds ${rows.length} COPY lines for ${this.n} rows`);
    const kept: string[] = [];
    let k = 0;
    for (let i = 0; i < this.n; i++) {
      if (bad.has(i)) continue;
      kept.push(rows[i]!);
      this.fins[k] = this.fins[i]!;
      this.lines[k] = this.lines[i]!;
      k++;
    }
    this.n = k;
    this.chunks = [];
    let c = '';
    for (const l of kept) {
      c += `${l}\n`;
      if (c.length >= CHUNK_CHARS) {
        this.chunks.push(c);
        c = '';
      }
    }
    if (c.length > 0) this.chunks.push(c);
  }
}

const isUniqueViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

/**
 * Imports citizens from a CSV stream (header `fin,last_name,first_name,patronymic,birth_date,sex,
 * district_code,address,phone,id_card_number` in any order). See the module comment for the
 * all-or-nothing rules. Throws only on I/O or database failures; problems with the data are in
 * the report.
 */
export async function importCitizens(database: Database, input: Readable, opts: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const locale: Locale = opts.locale ?? 'az';
  const skipInvalid = opts.skipInvalid ?? false;
  const batchSize = Math.max(1, opts.batchSize ?? 50_000);
  const today = opts.today ?? bakuToday();
  const errors: ImportError[] = [];
  let rejected = 0;
  let imported = 0;
  let possibleDuplicates = 0;
  const warnings: ImportError[] = [];

  const addError = (line: number, field: string, code: ImportErrorCode, params: Record<string, string | number>) =>
    errors.push({ line, field, code, message: importMessage(code, locale, params) });

  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true });
  const source = new RecordSource(parser);
  pipeline(input, parser, (err) => {
    if (err) source.fail(err);
  });
  const done = (): ImportReport => ({ imported, rejected, errors, possibleDuplicates, warnings, durationMs: Math.round(performance.now() - started) });

  try {
    return await database.withConnection(async (conn) => {
      const districts = new Set(
        (await conn.query<{ district_code: string }>('select district_code from districts')).rows.map((r) => r.district_code),
      );
      const ctx: ValidationContext = { districts, today };

      // --- header
      let next: Rec | null | undefined;
      const readRecord = async (): Promise<Rec | null> => {
        for (;;) {
          next = source.read();
          if (next !== undefined) return next;
          await source.wait();
        }
      };
      let header: Rec | null;
      try {
        header = await readRecord();
      } catch (e) {
        if (e instanceof CsvError) {
          addError(1, '', 'csv_malformed', { detail: e.message });
          return done();
        }
        throw e;
      }
      if (header === null) {
        addError(1, '', 'header_missing', {});
        return done();
      }
      const position = new Int32Array(NCOLS).fill(-1);
      header.forEach((raw, i) => {
        const name = raw.trim().toLowerCase();
        const c = COL[name as CitizenColumn];
        if (c === undefined) addError(1, raw, 'column_unknown', { field: raw });
        else if (position[c] !== -1) addError(1, name, 'column_duplicate', { field: name });
        else position[c] = i;
      });
      CITIZEN_COLUMNS.forEach((c, i) => {
        if (position[i] === -1) addError(1, c, 'column_missing', { field: c });
      });
      if (errors.length > 0) return done();
      const width = header.length;

      // --- rows
      const fins = new FinSet();
      const values: string[] = new Array(NCOLS).fill('');
      const out: (string | null)[] = new Array(NCOLS).fill(null);
      const problems: FieldProblem[] = [];
      let line = 1; // line of the last line of the previous record
      let rowsRead = 0;
      let eof = false;
      let failed = false; // !skipInvalid and a bad row seen: nothing more is written

      const progress = () => opts.onProgress?.({ rows: rowsRead, bytes: parser.info.bytes });

      /** Validates one record; returns its COPY line when good. */
      const processRecord = (rec: Rec, batch: Batch): string | null => {
        // Line numbers: a record starts on the line after the previous one ended, plus any line
        // breaks inside its quoted fields.
        const start = line + 1;
        let breaks = 0;
        for (let i = 0; i < rec.length; i++) {
          const f = rec[i]!;
          if (f.length > 0 && f.indexOf('\n') !== -1) breaks += f.split('\n').length - 1;
        }
        line = start + breaks;
        if (rec.length === 1 && rec[0] === '') return null; // empty line
        rowsRead++;
        if (rowsRead % PROGRESS_EVERY === 0) progress();
        if (rec.length !== width) {
          addError(start, '', 'column_count', { actual: rec.length, expected: width });
          rejected++;
          if (!skipInvalid) failed = true;
          return null;
        }
        for (let i = 0; i < NCOLS; i++) values[i] = rec[position[i]!]!;
        problems.length = 0;
        let ok = validateInto(values, ctx, out, problems);
        for (const p of problems) addError(start, p.field, p.code, p.params);
        const fin = out[0];
        if (fin != null && isFin(fin)) {
          const first = fins.add(fin, start);
          if (first !== 0) {
            addError(start, 'fin', 'duplicate_in_file', { value: fin, first });
            ok = false;
          }
        }
        if (!ok) {
          rejected++;
          if (!skipInvalid) failed = true;
          return null;
        }
        let s = out[0]!;
        for (let i = 1; i < NCOLS; i++) s += `\t${copyField(out[i])}`;
        s += '\n';
        batch.add(fin!, start);
        return s;
      };

      /**
       * Reads records into `batch` until it is full or the input ends, yielding COPY text while
       * not failed. Every chunk yielded is also kept in batch.chunks, so at any suspension all
       * valid rows read so far are in batch.chunks (until a failure stops the copying).
       */
      async function* fill(batch: Batch): AsyncGenerator<string> {
        let chunk = '';
        const emit = () => {
          const c = chunk;
          chunk = '';
          batch.chunks.push(c);
          return c;
        };
        while (batch.n < batchSize) {
          const rec = source.read();
          if (rec === undefined) {
            if (chunk.length > 0 && !failed) yield emit();
            await source.wait();
            continue;
          }
          if (rec === null) {
            eof = true;
            break;
          }
          const s = processRecord(rec, batch);
          if (s !== null && !failed) {
            chunk += s;
            if (chunk.length >= CHUNK_CHARS) yield emit();
          }
        }
        if (chunk.length > 0 && !failed) yield emit();
      }

      /** Drains a generator without writing anything (the rest of a batch after a failed COPY). */
      const drain = async (gen: AsyncGenerator<string>) => {
        for await (const _ of gen) void _;
      };

      /** Reports the batch's rows from index `from` whose FIN is already in the registry; returns those indexes. */
      const existing = async (batch: Batch, from: number): Promise<Set<number>> => {
        const bad = new Set<number>();
        if (batch.n <= from) return bad;
        const fins: string[] = [];
        for (let i = from; i < batch.n; i++) fins.push(batch.fin(i));
        const r = await conn.query<{ fin: string }>('select fin from citizens where fin = any($1::bpchar[])', [fins]);
        if (r.rows.length === 0) return bad;
        const found = new Set(r.rows.map((x) => x.fin));
        for (let i = from; i < batch.n; i++) {
          const fin = fins[i - from]!;
          if (found.has(fin)) {
            bad.add(i);
            addError(batch.lines[i]!, 'fin', 'fin_exists', { value: fin });
            rejected++;
          }
        }
        if (!skipInvalid) failed = true;
        return bad;
      };

      /** COPYs the rows kept in memory, under a savepoint; on a unique violation drops the offenders and retries. */
      const copyKept = async (batch: Batch): Promise<void> => {
        for (let attempt = 0; batch.n > 0 && !failed; attempt++) {
          await conn.query('SAVEPOINT dost_import');
          try {
            const n = await conn.copyFrom(COPY_SQL, batch.chunks);
            await conn.query('RELEASE SAVEPOINT dost_import');
            imported += n;
            return;
          } catch (e) {
            if (!isUniqueViolation(e) || attempt > 3) throw e;
            await conn.query('ROLLBACK TO SAVEPOINT dost_import');
            const bad = await existing(batch, 0);
            if (bad.size === 0) throw e;
            batch.keepOnly(bad);
          }
        }
      };

      /**
       * Matches the rows just imported (ids above `lastBefore`) against the whole registry, set-based
       * in one statement, queues the pairs and warns on the imported row's line.
       */
      const matchImported = async (lastBefore: number) => {
        const q = matchStatement(await readMatchingParameters(), lastBefore, 'import').compile(database.db);
        const pairs = toPairs((await conn.query<Parameters<typeof toPairs>[0][number]>(q.sql, q.parameters as unknown[])).rows);
        possibleDuplicates = pairs.length;
        if (pairs.length === 0) return;
        const shown = pairs.slice(0, MAX_DUPLICATE_WARNINGS);
        const ids = [...new Set(shown.flatMap((x) => [x.lowCitizenId, x.highCitizenId]))];
        const fin = new Map((await conn.query<{ citizen_id: string | number; fin: string }>('select citizen_id, fin from citizens where citizen_id = any($1::bigint[])', [ids])).rows
          .map((x) => [Number(x.citizen_id), x.fin]));
        const lineOf = (id: number) => (id > lastBefore ? fins.get(fin.get(id) ?? '') : 0);
        for (const x of shown) {
          // The imported row is the higher id (both may be new: two rows of the file are one person).
          const mine = x.highCitizenId;
          const other = x.lowCitizenId;
          warnings.push({ line: lineOf(mine), field: 'fin', code: 'possible_duplicate', message: format(POSSIBLE_DUPLICATE_MESSAGE[locale], { fin: maskFin(fin.get(other) ?? '') }) });
        }
        warnings.sort((a, b) => a.line - b.line);
      };

      await conn.query('BEGIN');
      try {
        const lastBefore = Number((await conn.query<{ m: string | number }>('select coalesce(max(citizen_id), 0) as m from citizens')).rows[0]!.m);
        while (!eof) {
          const batch = new Batch(batchSize);
          if (failed) {
            await drain(fill(batch));
            await existing(batch, 0);
            continue;
          }
          await conn.query('SAVEPOINT dost_import');
          const gen = fill(batch);
          try {
            const n = await conn.copyFrom(COPY_SQL, gen);
            await conn.query('RELEASE SAVEPOINT dost_import');
            imported += n;
            // Rows read after the first bad one (no longer copied) still get the existence check.
            if (failed) await existing(batch, n);
          } catch (e) {
            if (!isUniqueViolation(e)) throw e;
            await conn.query('ROLLBACK TO SAVEPOINT dost_import');
            await drain(gen);
            const bad = await existing(batch, 0);
            if (bad.size === 0) throw e;
            if (skipInvalid) {
              batch.keepOnly(bad);
              await copyKept(batch);
            }
          }
        }
        progress();
        if (failed || (!skipInvalid && errors.length > 0)) {
          await conn.query('ROLLBACK');
          imported = 0;
        } else {
          if (imported > 0) await matchImported(lastBefore);
          await conn.query('COMMIT');
        }
        return done();
      } catch (e) {
        await conn.query('ROLLBACK').catch(() => undefined);
        if (e instanceof CsvError) {
          imported = 0;
          addError(line + 1, '', 'csv_malformed', { detail: e.message });
          return done();
        }
        throw e;
      }
    });
  } finally {
    if (!parser.destroyed) parser.destroy();
    if (!input.destroyed) input.destroy();
  }
}

export type { RawConnection };
