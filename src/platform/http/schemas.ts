import { Type, type TSchema } from 'typebox';
import Format from 'typebox/format';

// ---- the primitive input types every route uses ----------------------------------------------
//
// One integer type (safe integers only), one calendar date, one date-time and text without NUL or
// other control characters. Request schemas build on these, so an input the database would refuse
// (1e21 for an integer, 2026-02-30, 23:59:60, a NUL byte) is refused by validation as a 400 with
// the field, never reaches PostgreSQL and never becomes a 500. `routes.test.ts` walks every
// route's request schemas and checks each number and string is bounded this way.

/** Largest integer JSON numbers carry exactly (2^53 - 1); beyond it 9223372036854775807 turns into 9223372036854776000. */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Calendar dates accepted from users: 1900-01-01 to 2199-12-31 (births of the living to far-off review dates). */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339 date-time with an offset; no leap second (PostgreSQL and JS disagree about them).
const DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** True for `YYYY-MM-DD` naming a day that exists, in MIN_YEAR..MAX_YEAR. */
export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!);
}

/** True for an RFC 3339 date-time with `Z` or an offset up to ±14:00, on a real day, seconds 00–59. */
export function isDateTime(s: string): boolean {
  const m = DATE_TIME_RE.exec(s);
  if (!m || !isCalendarDate(m[1]!)) return false;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return false;
  if (m[5] && (Number(m[6]) > 14 || Number(m[7]) > 59 || (Number(m[6]) === 14 && Number(m[7]) > 0))) return false;
  return true;
}

// The one format registry: TypeBox's (Compile and Value read it: forms, life-event facts, data
// files) with 'date' and 'date-time' made strict; the HTTP validator copies every entry.
Format.Set('date', isCalendarDate);
Format.Set('date-time', isDateTime);

/** Every format a schema may name, with its check; the HTTP validator registers all of them. */
export const formatEntries = (): [string, (value: string) => boolean][] => Format.Entries();

/** Characters no input string may hold: C0 controls but tab, line feed and carriage return, and DEL. */
export const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';
/** A single line: no control character at all. */
export const LINE_PATTERN = '^[^\\u0000-\\u001F\\u007F]*$';

type StrOpts = { minLength?: number; maxLength?: number; description?: string; default?: string };
type NumOpts = { minimum?: number; maximum?: number; description?: string; default?: number; multipleOf?: number; exclusiveMinimum?: number };

const bounded = (o: NumOpts, lo: number, hi: number) => ({
  ...o, minimum: Math.max(o.minimum ?? lo, lo), maximum: Math.min(o.maximum ?? hi, hi),
});

/** An integer within ±MAX_SAFE (narrower bounds allowed): 1e21, 1e400 and 9223372036854776000 are refused. */
export const Int = (o: NumOpts = {}) => Type.Integer(bounded(o, -MAX_SAFE, MAX_SAFE));
/** A row id: 1..MAX_SAFE. */
export const Id = (o: NumOpts = {}) => Type.Integer(bounded({ ...o, minimum: Math.max(1, o.minimum ?? 1) }, 1, MAX_SAFE));
/** A finite number within ±1e15 (narrower bounds allowed). */
export const Num = (o: NumOpts = {}) => Type.Number(bounded(o, -1e15, 1e15));
/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 and 0000-01-01 do not). */
export const IsoDate = (o: { description?: string } = {}) => Type.String({ ...o, format: 'date' });
/** An RFC 3339 date-time with an offset (`2026-11-24T10:00:00+04:00`), no leap second. */
export const DateTime = (o: { description?: string } = {}) => Type.String({ ...o, format: 'date-time' });
/** A UUID. */
export const Uuid = (o: { description?: string } = {}) => Type.String({ ...o, format: 'uuid' });
/** Free text a person types: may span lines (tab, CR, LF) but holds no NUL or other control character. */
export const Text = (o: StrOpts = {}) => Type.String({ maxLength: 4000, ...o, pattern: TEXT_PATTERN });
/** One line of text (a name, a search, a username): no control character at all. */
export const Line = (o: StrOpts = {}) => Type.String({ maxLength: 500, ...o, pattern: LINE_PATTERN });

/** The error body every 4xx/5xx response carries. */
export const ErrorBody = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String(), line: Type.Optional(Type.Integer()) })),
});

/** The one list convention: a page of items with the total. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer() });

/** Page and page size query parameters, shared by every list. */
export const PageQuery = {
  page: Type.Optional(Int({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Int({ minimum: 1, maximum: 100, default: 20 })),
};

/** Text in every language. */
export const L = Type.Object({ az: Type.String(), ru: Type.String(), en: Type.String() });
/** Text in every language, as input (a manager's survey question). */
export const LInput = (o: StrOpts = {}) => Type.Object({ az: Line(o), ru: Line(o), en: Line(o) }, { additionalProperties: false });
