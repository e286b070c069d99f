/**
 * Azerbaijani identifiers. Patterns and their sources are in
 * ../shared/reference/azerbaijan-social-facts.md §3; kept here once and used by the HTTP schemas,
 * the CSV import and the generator alike.
 */

/** FIN: 7 characters, digits and upper-case Latin letters except I and O. No public check digit. */
export const FIN_PATTERN = '^[0-9A-HJ-NP-Z]{7}$';
/** ID card: AA + 7 digits (chip cards since 2018), AZE + 8 digits (old cards), or 2 letters + 7 digits (under 15). */
export const ID_CARD_PATTERN = '^(AA[0-9]{7}|AZE[0-9]{8}|[A-Z]{2}[0-9]{7})$';
/** Mobile or landline phone in international form: +994 and 9 digits. */
export const PHONE_PATTERN = '^\\+994[0-9]{9}$';
/** The alphabet FINs are drawn from. */
export const FIN_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

const finRe = new RegExp(FIN_PATTERN);
const idCardRe = new RegExp(ID_CARD_PATTERN);
const phoneRe = new RegExp(PHONE_PATTERN);

/** True when `s` is a well-formed FIN. */
export const isFin = (s: string): boolean => finRe.test(s);
/** True when `s` is a well-formed ID card number. */
export const isIdCardNumber = (s: string): boolean => idCardRe.test(s);
/** True when `s` is a +994 phone number. */
export const isPhone = (s: string): boolean => phoneRe.test(s);

/** A FIN as people type it: any letter case (stored and compared upper-case, after normalizeFin). */
export const FIN_INPUT_PATTERN = '^[0-9A-HJ-NP-Za-hj-np-z]{7}$';

/** Normalises user input of a FIN: trims, upper-cases. Validation is separate. */
export const normalizeFin = (s: string): string => s.trim().toUpperCase();

/** The FIN in `s` upper-cased, whatever its letter case, or undefined when it is not a FIN. */
export function parseFin(s: string): string | undefined {
  const f = normalizeFin(s);
  return isFin(f) ? f : undefined;
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
