import type { TFunction } from 'i18next';
import type { Field } from '../types.ts';

/** FIN: 7 characters from [0-9A-HJ-NP-Z] (no I and O). */
export const FIN_RE = /^[0-9A-HJ-NP-Z]{7}$/;
export const PHONE_RE = /^\+994[0-9]{9}$/;
export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export type FormValue = string | number | boolean | null | undefined;

export function isEmpty(value: FormValue): boolean {
  return value === undefined || value === null || value === '';
}

function toNumber(value: FormValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return null;
}

/** Client-side check of one form value against its field definition; the server checks again. */
export function validateField(field: Field, value: FormValue, t: TFunction): string | undefined {
  if (field.type === 'boolean') {
    return field.required && value !== true ? t('validation.mustAccept') : undefined;
  }
  if (isEmpty(value)) return field.required ? t('validation.required') : undefined;
  switch (field.type) {
    case 'number':
    case 'money': {
      const n = toNumber(value);
      if (n === null) return t('validation.number');
      if (field.min !== undefined && n < Number(field.min)) return t('validation.min', { min: field.min });
      if (field.max !== undefined && n > Number(field.max)) return t('validation.max', { max: field.max });
      return undefined;
    }
    case 'date': {
      const s = String(value);
      if (!DATE_RE.test(s)) return t('validation.date');
      if (typeof field.min === 'string' && s < field.min) return t('validation.minDate', { min: field.min });
      if (typeof field.max === 'string' && s > field.max) return t('validation.maxDate', { max: field.max });
      return undefined;
    }
    case 'fin':
      return FIN_RE.test(String(value)) ? undefined : t('validation.fin');
    case 'phone':
      return PHONE_RE.test(String(value)) ? undefined : t('validation.phone');
    case 'email':
      return EMAIL_RE.test(String(value)) ? undefined : t('validation.email');
    case 'select':
      return field.options?.some((o) => String(o.value) === String(value)) ? undefined : t('validation.option');
    default:
      if (field.maxLength !== undefined && String(value).length > field.maxLength) {
        return t('validation.maxLength', { max: field.maxLength });
      }
      return undefined;
  }
}

/** The value to send for a field, in the JSON type its definition asks for; undefined to leave it out. */
export function toPayloadValue(field: Field, value: FormValue): unknown {
  if (field.type === 'boolean') return value === true;
  if (isEmpty(value)) return undefined;
  switch (field.type) {
    case 'number':
    case 'money':
      return toNumber(value) ?? value;
    case 'select': {
      const option = field.options?.find((o) => String(o.value) === String(value));
      return option ? option.value : value;
    }
    case 'fin':
      return String(value).toUpperCase();
    default:
      return typeof value === 'string' ? value.trim() : value;
  }
}
