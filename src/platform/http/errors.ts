import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CODES, type ErrorDetail } from '../errors.ts';
import { pickLocale, type Locale } from '../i18n.ts';
import { DATABASE_RETRY_AFTER_S, isDatabaseUnavailable } from '../db.ts';

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

/**
 * SQLSTATEs by which PostgreSQL refuses a request's data or its timing. Input is validated before
 * the database sees it, so these are a backstop: answered 409 (integrity, deadlock, serialisation)
 * or 400 (a value the column type refuses) with a generic message that names no constraint, and
 * logged with the original error so the missing check can be added. `routes.test.ts` asserts that
 * its generated bad input never reaches this branch.
 */
const DATABASE_REFUSALS: Record<string, 'CONFLICT' | 'VALIDATION_FAILED'> = {
  '23503': 'CONFLICT', '23505': 'CONFLICT', '23514': 'CONFLICT', '23502': 'CONFLICT', '23P01': 'CONFLICT',
  '40P01': 'CONFLICT', '40001': 'CONFLICT',
};
const CONFLICT_WHAT: Record<Locale, string> = {
  az: 'məlumat başqa dəyişikliklə toqquşdu; yeniləyib yenidən cəhd edin',
  ru: 'данные изменились одновременно с другим запросом; обновите и повторите',
  en: 'the data changed at the same time as another request; reload and try again',
};
let databaseRefusals = 0;
/** How many errors reached the database backstop since the process started (tests assert none from bad input). */
export const databaseRefusalCount = (): number => databaseRefusals;

function databaseRefusal(error: unknown, locale: Locale): AppError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  // Class 22 is "data exception": a value the column type or a function refuses (NUL byte,
  // out-of-range number or date, invalid text representation).
  const kind = DATABASE_REFUSALS[code] ?? (code.startsWith('22') ? 'VALIDATION_FAILED' : undefined);
  if (!kind) return undefined;
  databaseRefusals++;
  return kind === 'CONFLICT'
    ? new AppError('CONFLICT', { what: CONFLICT_WHAT[locale] })
    : new AppError('VALIDATION_FAILED', {}, [{ field: '/', code: 'invalid', message: validationMessage('unknown', locale) }]);
}

/** (@fastify/)busboy's errors for a multipart body it cannot read (plain Errors without a status). */
const MULTIPART_READ_ERRORS = /(Boundary not found|Malformed part header|unexpected end of (multipart data|form|file)|Malformed urlencoded form)/i;

/** Refuses a multipart request whose Content-Type has no boundary: its body cannot be read. */
export function assertMultipartBoundary(req: FastifyRequest): void {
  const type = req.headers['content-type'];
  if (typeof type !== 'string' || !/^\s*multipart\//i.test(type)) return;
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(type);
  if (!boundary) {
    throw new AppError('VALIDATION_FAILED', {}, [{ field: '/content-type', code: 'boundary', message: validationMessage('format', requestLocale(req)) }]);
  }
}

/**
 * Errors Fastify raises before a route is found (malformed percent-encoding in the path, a path
 * parameter longer than the router allows): answered in the error shape, never echoing the URL.
 */
export function frameworkErrorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const locale = requestLocale(req);
  const code = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'maxLength' : 'format';
  const app = new AppError('VALIDATION_FAILED', {}, [{ field: '/url', code, message: validationMessage(code, locale) }]);
  void reply.status(ERROR_CODES[app.code].status).send({ code: app.code, message: app.localized(locale), details: app.details } satisfies ErrorBody);
}

const NO_SUCH_ADDRESS: Record<Locale, string> = { az: 'bu ünvan', ru: 'этот адрес', en: 'this address' };

/** The 404 of an address no route serves: the error shape, without echoing the address (it may be long or carry personal data). */
export function notFoundBody(req: FastifyRequest): ErrorBody {
  const locale = requestLocale(req);
  const e = new AppError('NOT_FOUND', { what: NO_SUCH_ADDRESS[locale] });
  return { code: e.code, message: e.localized(locale), details: [] };
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
  let refused: AppError | undefined;
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
  } else if (fe.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' || (req.isMultipart?.() && !fe.statusCode && MULTIPART_READ_ERRORS.test(String(fe.message)))) {
    // A multipart body cut short or malformed, or a Content-Length that does not match the body.
    app = new AppError('VALIDATION_FAILED', {}, [{ field: '/', code: 'format', message: validationMessage('format', locale) }]);
  } else if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Malformed JSON, empty body with a JSON content type, bad multipart and the like.
    app = new AppError('VALIDATION_FAILED', {}, [{ field: '/', code: fe.code ?? 'invalid', message: validationMessage('unknown', locale) }]);
  } else if ((refused = databaseRefusal(error, locale))) {
    req.log.warn({ err: error }, 'the database refused the request: a check before it is missing');
    app = refused;
  } else if (isDatabaseUnavailable(error)) {
    // Restart, failover or network cut: the caller may retry shortly (the pool reconnects by itself).
    req.log.warn({ err: { message: error.message, code: (error as { code?: unknown }).code } }, 'database unavailable');
    app = new AppError('UNAVAILABLE');
  } else {
    req.log.error({ err: error }, 'unhandled error');
    app = new AppError('INTERNAL');
  }
  const body: ErrorBody = { code: app.code, message: app.localized(locale), details: app.details };
  if (app.code === 'RATE_LIMITED' && fe.statusCode === 429) reply.header('retry-after', reply.getHeader('retry-after') ?? 60);
  if (app.code === 'UNAVAILABLE') reply.header('retry-after', reply.getHeader('retry-after') ?? DATABASE_RETRY_AFTER_S);
  void reply.status(ERROR_CODES[app.code].status).send(body);
}
