/**
 * The citizen CSV format shared by `dost import citizens`, `dost generate --out` and the import
 * benchmark: the columns are defined here once, with helpers to write CSV and PostgreSQL COPY text.
 */

/** Columns of citizens.csv, in the order the generator writes them. A file may order them freely. */
export const CITIZEN_COLUMNS = [
  'fin',
  'last_name',
  'first_name',
  'patronymic',
  'birth_date',
  'sex',
  'district_code',
  'address',
  'phone',
  'id_card_number',
] as const;
export type CitizenColumn = (typeof CITIZEN_COLUMNS)[number];

/** Columns that must hold a value in every row; the others may be empty (stored as NULL). */
export const REQUIRED_COLUMNS: ReadonlySet<CitizenColumn> = new Set<CitizenColumn>([
  'fin',
  'last_name',
  'first_name',
  'birth_date',
  'sex',
  'district_code',
]);

/** Longest value accepted per column (characters). */
export const MAX_LENGTH: Readonly<Record<CitizenColumn, number>> = {
  fin: 7,
  last_name: 100,
  first_name: 100,
  patronymic: 100,
  birth_date: 10,
  sex: 1,
  district_code: 20,
  address: 300,
  phone: 13,
  id_card_number: 11,
};

/** The header line of citizens.csv (without the line break). */
export const CITIZEN_CSV_HEADER = CITIZEN_COLUMNS.join(',');

const CSV_SPECIAL = /[",\r\n]/;

/** One CSV field (RFC 4180): quoted only when it holds a comma, quote or line break. */
export function csvField(value: string | null | undefined): string {
  if (value == null) return '';
  return CSV_SPECIAL.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line with its trailing `\n`. */
export function csvLine(values: readonly (string | null | undefined)[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) s += (i === 0 ? '' : ',') + csvField(values[i]);
  return s + '\n';
}

const COPY_SPECIAL = /[\\\t\n\r]/;

/**
 * One field in PostgreSQL COPY text format: NULL as `\N`, and backslash, tab and line breaks
 * escaped. (The text format is what the import and the generator feed to COPY ... FROM STDIN.)
 */
export function copyField(value: string | null | undefined): string {
  if (value == null) return '\\N';
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** One COPY text line with its trailing `\n`. */
export function copyLine(values: readonly (string | number | null | undefined)[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    s += (i === 0 ? '' : '\t') + (typeof v === 'number' ? String(v) : copyField(v));
  }
  return s + '\n';
}
