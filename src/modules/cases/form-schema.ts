import { Type, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { FieldOut } from '../catalog/index.ts';
import { FIN_INPUT_PATTERN } from '../registry/index.ts';
import type { ErrorDetail } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { validationMessage } from '../../platform/http/errors.ts';
import { IsoDate, Line, Num, Text } from '../../platform/http/schemas.ts';

const PHONE = '^\\+994[0-9]{9}$';

/** The JSON Schema a form field's answer must satisfy. */
function fieldSchema(f: FieldOut): TSchema {
  switch (f.type) {
    case 'text': return Line({ minLength: f.required ? 1 : 0, maxLength: f.maxLength ?? 500 });
    case 'textarea': return Text({ minLength: f.required ? 1 : 0, maxLength: f.maxLength ?? 4000 });
    case 'number': return Num({ minimum: f.min ?? -1e12, maximum: f.max ?? 1e12 });
    case 'money': return Num({ minimum: f.min ?? 0, maximum: f.max ?? 1e9, multipleOf: 0.01 });
    case 'date': return IsoDate();
    case 'select': return Type.Enum((f.options ?? []).map((o) => o.value));
    case 'boolean': return Type.Boolean();
    case 'fin': return Type.String({ pattern: FIN_INPUT_PATTERN }); // any letter case; the service stores it upper-case
    case 'phone': return Type.String({ pattern: PHONE });
    case 'email': return Type.String({ format: 'email', maxLength: 254 });
  }
}

/**
 * Builds the schema of a service's form answers from its field definitions: the same definition
 * renders the form in the browser and validates the answers here. Prefilled fields are not part
 * of what the applicant sends: the server fills them from the registry.
 */
export function formAnswersSchema(fields: readonly FieldOut[]) {
  const own = fields.filter((f) => !f.prefill);
  const props = Object.fromEntries(own.map((f) => [f.name, f.required ? fieldSchema(f) : Type.Optional(fieldSchema(f))]));
  return Type.Object(props, { additionalProperties: false });
}

const cache = new Map<string, ReturnType<typeof Compile>>();

/** Validates answers against a form; returns the problems with JSON-pointer fields under /data. */
export function validateAnswers(cacheKey: string, fields: readonly FieldOut[], answers: unknown, locale: Locale): ErrorDetail[] {
  let check = cache.get(cacheKey);
  if (!check) {
    check = Compile(formAnswersSchema(fields));
    cache.set(cacheKey, check);
  }
  if (check.Check(answers)) return [];
  const seen = new Set<string>();
  const out: ErrorDetail[] = [];
  for (const e of check.Errors(answers)) {
    let field = `/data${e.instancePath}`;
    const params = e.params as { requiredProperties?: string[]; additionalProperties?: string[] };
    if (e.keyword === 'required' && params.requiredProperties) {
      for (const p of params.requiredProperties) out.push({ field: `${field}/${p}`, code: 'required', message: validationMessage('required', locale) });
      continue;
    }
    if (e.keyword === 'additionalProperties' && params.additionalProperties) {
      for (const p of params.additionalProperties) out.push({ field: `${field}/${p}`, code: 'additionalProperties', message: validationMessage('additionalProperties', locale) });
      continue;
    }
    if (e.keyword === 'boolean') continue; // the same unknown field again, as `false` schema
    const code = e.keyword;
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, code, message: validationMessage(code, locale) });
  }
  return out;
}
