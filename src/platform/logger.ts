import { pino, type DestinationStream, type Logger } from 'pino';

/** Keys whose values are personal data (or carry it) and never reach the logs, at any of the first three levels. */
const PERSONAL_KEYS = ['fin', 'firstName', 'lastName', 'patronymic', 'first_name', 'last_name', 'fullName', 'full_name', 'name',
  'phone', 'email', 'password', 'idCardNumber', 'id_card_number', 'address', 'birthDate', 'birth_date', 'username', 'displayName',
  'display_name', 'body', 'payload', 'query', 'params', 'parameters', 'detail', 'headers', 'cookie', 'authorization', 'token'];

// FINs are 7 characters of the FIN alphabet with at least one letter and one digit; typed in
// lower case too. Phones are runs of seven or more digits, with or without +, spaces or dashes.
const FIN_IN_TEXT = /(?<![0-9A-Za-z])[0-9A-HJ-NP-Za-hj-np-z]{7}(?![0-9A-Za-z])/g;
const PHONE_IN_TEXT = /\+?\d(?:[\s().-]{0,2}\d){6,}/g;
// PostgreSQL quotes the offending value in its messages (invalid input syntax for type date: "…"),
// and JSON.parse quotes a piece of the input, itself full of quotes ("{"fin":"…"" is not valid
// JSON): everything from the first quote to the last on a line is masked.
const QUOTED = /"[^\n]*"|'[^\n]*'/g;

/** Masks anything shaped like a FIN (any case) inside free text (URLs, messages). Leaves the first character. */
export function maskFins(text: string): string {
  return text.replace(FIN_IN_TEXT, (m) => (/[A-Za-z]/.test(m) && /\d/.test(m) ? `${m[0]}******` : m));
}

/** Decodes percent-encoding (repeatedly, as a value may be encoded twice); malformed sequences are left as they are. */
function decodeAll(text: string): string {
  let out = text;
  for (let i = 0; i < 3 && out.includes('%'); i++) {
    const next = out.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
      }
    });
    if (next === out) break;
    out = next;
  }
  return out;
}

/** Masks FINs and phone numbers in free text, after decoding percent-encoding. */
export function scrubText(text: string): string {
  return maskFins(decodeAll(text)).replace(PHONE_IN_TEXT, '[phone]');
}

/** Masks an error message: quoted values (PostgreSQL's way of naming the bad input), FINs and phones. */
export function scrubMessage(text: string): string {
  return scrubText(text.replace(QUOTED, (q) => `${q[0]}…${q[0]}`));
}

// A query-string value kept as is: small numbers (page=2) and flags. Anything else may be a name,
// a phone or a FIN, in any encoding, and is masked.
const SAFE_VALUE = /^(?:\d{1,4}|true|false)$/;
const SAFE_KEY = /^[a-z][A-Za-z0-9_.[\]-]{0,39}$/;

function maskQuery(query: string): string {
  return query.split('&').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    // Keys are the API's parameter names (camelCase ASCII); anything else a caller sent as a key is masked too.
    const rawKey = decodeAll(eq < 0 ? pair : pair.slice(0, eq));
    const key = SAFE_KEY.test(rawKey) && maskFins(rawKey) === rawKey ? rawKey : '*';
    if (eq < 0) return key;
    const value = decodeAll(pair.slice(eq + 1));
    return `${key}=${SAFE_VALUE.test(value) ? value : '*'}`;
  }).join('&');
}

/** A URL for the log: the path with FINs and phones masked (decoded first), every query value masked but small numbers and flags. */
export function maskUrl(url: string): string {
  const q = url.indexOf('?');
  const pathPart = scrubText(q < 0 ? url : url.slice(0, q));
  return q < 0 ? pathPart : `${pathPart}?${maskQuery(url.slice(q + 1))}`;
}

// A path parameter kept in the log: ids, uuids, dates and upper-case codes (centers, services,
// references). Anything else (a name, a token) is logged as the parameter's name.
const SAFE_PARAM = /^(?:\d{1,12}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}|[A-Z0-9][A-Z0-9-]{0,39})$/;

interface LoggedRequest { method: string; url: string; id: string; routeOptions?: { url?: string }; params?: unknown }

/**
 * The URL of a request for the log. A routed request is logged as its route with the safe
 * parameters filled in (`/api/citizens/:citizenId` → `/api/citizens/42`); an unrouted one as its
 * first path segment only, as the rest may be anything a caller typed; query values are masked.
 */
export function requestUrl(req: LoggedRequest): string {
  const raw = String(req.url ?? '');
  const q = raw.indexOf('?');
  const query = q < 0 ? '' : `?${maskQuery(raw.slice(q + 1))}`;
  if (!('routeOptions' in req)) return maskUrl(raw); // a plain object somebody logged as `req`
  const pattern = req.routeOptions?.url;
  const params = (req.params ?? {}) as Record<string, unknown>;
  const path = pattern
    ? maskFins(pattern.replace(/:(\w+)/g, (m, name: string) => {
        const v = params[name];
        return typeof v === 'string' && SAFE_PARAM.test(v) ? v : m;
      }))
    : `/${(scrubText((q < 0 ? raw : raw.slice(0, q)).split('/')[1] ?? '').replace(/[^\w.-]/g, '_')).slice(0, 40)}/…`;
  return `${path}${query}`;
}

// The properties of an error that carry no input values. PostgreSQL's `detail` ("Key (fin)=(…)",
// "Failing row contains (…)"), PGlite's `params` and `query`, a framework's `body` or
// `validation` all may, and are left out.
const SAFE_ERROR_KEYS = ['type', 'code', 'statusCode', 'severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'];

/** Serializes an error for the log without the values it was given. */
export function serializeError(err: unknown, depth = 0): unknown {
  if (typeof err === 'string') return scrubMessage(err);
  if (!err || typeof err !== 'object') return err;
  const e = err as Record<string, unknown> & { message?: unknown; stack?: unknown; cause?: unknown; name?: unknown };
  const out: Record<string, unknown> = { type: e.constructor?.name ?? 'Error' };
  if (typeof e.message === 'string') out.message = scrubMessage(e.message);
  if (typeof e.stack === 'string') out.stack = scrubMessage(e.stack);
  for (const k of SAFE_ERROR_KEYS) if (k !== 'type' && (typeof e[k] === 'string' || typeof e[k] === 'number')) out[k] = typeof e[k] === 'string' ? scrubMessage(e[k]) : e[k];
  if (e.cause !== undefined && depth < 3) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/**
 * Structured JSON logger that keeps personal data out: personal fields are redacted wherever they
 * appear as keys (three levels deep); request URLs are logged as their route with only safe
 * parameters (see requestUrl), and with the names of query parameters, not their values; errors keep their type, code and
 * message with quoted values, FINs and phones masked, never PostgreSQL's detail or the query's
 * parameters; and every message string is masked the same way.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const paths = PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  return pino({
    level,
    redact: { paths, censor: '[masked]' },
    serializers: {
      req: (req: LoggedRequest) => ({ method: req.method, url: requestUrl(req), id: req.id }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: (err: unknown) => serializeError(err),
    },
    hooks: {
      logMethod(args, method) {
        // log.error(err) takes its message from err.message, past the serializer: give it the masked one.
        const [first] = args as unknown[];
        const given = first instanceof Error && args.length === 1 ? [{ err: first }, first.message] : args;
        method.apply(this, given.map((a) => (typeof a === 'string' ? scrubMessage(a) : a)) as Parameters<typeof method>);
      },
    },
  }, destination);
}
export type { Logger };
