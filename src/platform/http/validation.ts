import { Ajv, type Options } from 'ajv';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { formatEntries } from './schemas.ts';

/**
 * The request validator of every route: AJV with the formats of the one registry
 * (`schemas.ts`), in two flavours by the part of the request.
 *
 * - A JSON body is taken as sent: no coercion, so `null`, `true`, `"1"` or `[]` where the schema
 *   wants a number or a boolean is a 400, never a silent 0, 1 or false (`isOpen: null` used to
 *   close a window, `citizenId: true` to name citizen 1).
 * - Query strings, path parameters and headers arrive as text: their strings become numbers and
 *   booleans where the schema says so (and a repeated key an array), nothing else.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const base: Options = { removeAdditional: false, useDefaults: true, allErrors: true, addUsedSchema: false };
  const make = (coerceTypes: Options['coerceTypes']) => {
    const ajv = new Ajv({ ...base, coerceTypes });
    for (const [name, check] of formatEntries()) ajv.addFormat(name, check);
    return ajv;
  };
  const exact = make(false);
  const fromText = make('array');
  return ({ schema, httpPart }) => {
    if (httpPart === 'body') return exact.compile(schema as object);
    const check = fromText.compile(schema as object);
    // AJV turns "Infinity" and "1e400" into Infinity and then skips minimum/maximum: refuse them.
    const validate = (data: unknown) => {
      const ok = check(data);
      const infinite = ok ? nonFinite(data, '') : undefined;
      validate.errors = ok && infinite === undefined ? null : ok ? [{ instancePath: infinite!, keyword: 'maximum', params: {}, schemaPath: '#', message: 'must be finite' }] : (check.errors as FastifySchemaValidationError[]);
      return validate.errors === null;
    };
    validate.errors = null as FastifySchemaValidationError[] | null;
    return validate;
  };
}

/** The JSON pointer of the first number in `v` that is not finite, or undefined. */
function nonFinite(v: unknown, at: string): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : at;
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const found = nonFinite(x, `${at}/${k}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
