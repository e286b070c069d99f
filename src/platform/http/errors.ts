import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CODES, type ErrorDetail } from '../errors.ts';
import { pickLocale, type Locale } from '../i18n.ts';

/** The locale of a request: the signed-in user's choice or Accept-Language. */
export function requestLocale(req: FastifyRequest): Locale {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (typeof q === 'string') return pickLocale(q);
  return pickLocale(req.headers['accept-language']);
}

const VALIDATION_MESSAGES: Record<string, Record<Locale, string>> = {
  required: { az: 'Doldurulmalıdır', ru: 'Обязательное поле', en: 'Required' },
  type: { az: 'Növü düzgün deyil', ru: 'Неверный тип', en: 'Wrong type' },
  format: { az: 'Formatı düzgün deyil', ru: 'Неверный формат', en: 'Wrong format' },
  pattern: { az: 'Formatı düzgün deyil', ru: 'Неверный формат', en: 'Wrong format' },
  minimum: { az: 'Çox kiçikdir', ru: 'Слишком мало', en: 'Too small' },
  maximum: { az: 'Çox böyükdür', ru: 'Слишком много', en: 'Too large' },
  minLength: { az: 'Çox qısadır', ru: 'Слишком коротко', en: 'Too short' },
  maxLength: { az: 'Çox uzundur', ru: 'Слишком длинно', en: 'Too long' },
  maxItems: { az: 'Çox sayda element', ru: 'Слишком много элементов', en: 'Too many items' },
  minItems: { az: 'Kifayət qədər element yoxdur', ru: 'Слишком мало элементов', en: 'Too few items' },
  enum: { az: 'İcazə verilən dəyərlərdən biri deyil', ru: 'Недопустимое значение', en: 'Not one of the allowed values' },
  const: { az: 'İcazə verilən dəyər deyil', ru: 'Недопустимое значение', en: 'Not an allowed value' },
  anyOf: { az: 'İcazə verilən dəyər deyil', ru: 'Недопустимое значение', en: 'Not an allowed value' },
  additionalProperties: { az: 'Naməlum sahə', ru: 'Неизвестное поле', en: 'Unknown field' },
  unknown: { az: 'Dəyər düzgün deyil', ru: 'Недопустимое значение', en: 'Invalid value' },
};

/** A validation problem's message in the caller's language. */
export function validationMessage(code: string, locale: Locale): string {
  return (VALIDATION_MESSAGES[code] ?? VALIDATION_MESSAGES.unknown!)[locale];
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

function detailsFromAjv(errors: AjvError[], context: string | undefined, locale: Locale): ErrorDetail[] {
  const prefix = context && context !== 'body' ? `/${context}` : '';
  const seen = new Set<string>();
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    let field = `${prefix}${e.instancePath}`;
    if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') field += `/${e.params.missingProperty}`;
    if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') field += `/${e.params.additionalProperty}`;
    const code = e.keyword in VALIDATION_MESSAGES ? e.keyword : 'unknown';
    const k = `${field}|${code}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ field: field || '/', code, message: validationMessage(code, locale) });
  }
  return out;
}

/** Body of every error response. */
export interface ErrorBody {
  code: string;
  message: string;
  details: ErrorDetail[];
}

/**
 * Maps any thrown error to `{ code, message, details }` with the status from the one code table.
 * Errors that are not AppErrors or known framework errors become INTERNAL and are logged, never shown.
 */
export function errorHandler(error: FastifyError | AppError | Error, req: FastifyRequest, reply: FastifyReply): void {
  const locale = requestLocale(req);
  let app: AppError;
  const fe = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (error instanceof AppError) {
    app = error;
  } else if (fe.validation) {
    app = new AppError('VALIDATION_FAILED', {}, detailsFromAjv(fe.validation, fe.validationContext, locale));
  } else if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) {
    app = new AppError('PAYLOAD_TOO_LARGE');
  } else if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.statusCode === 415) {
    app = new AppError('UNSUPPORTED_MEDIA_TYPE');
  } else if (fe.statusCode === 429) {
    app = new AppError('RATE_LIMITED');
  } else if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Malformed JSON, empty body with a JSON content type, bad multipart and the like.
    app = new AppError('VALIDATION_FAILED', {}, [{ field: '/', code: fe.code ?? 'invalid', message: validationMessage('unknown', locale) }]);
  } else {
    req.log.error({ err: error }, 'unhandled error');
    app = new AppError('INTERNAL');
  }
  const body: ErrorBody = { code: app.code, message: app.localized(locale), details: app.details };
  if (app.code === 'RATE_LIMITED' && fe.statusCode === 429) reply.header('retry-after', reply.getHeader('retry-after') ?? 60);
  void reply.status(ERROR_CODES[app.code].status).send(body);
}
