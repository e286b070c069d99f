import { pino, type DestinationStream, type Logger } from 'pino';

/** Keys whose values are personal data and never reach the logs. */
const PERSONAL_KEYS = ['fin', 'firstName', 'lastName', 'patronymic', 'first_name', 'last_name', 'phone', 'password',
  'idCardNumber', 'id_card_number', 'address', 'birthDate', 'birth_date', 'username', 'displayName'];

const FIN_IN_TEXT = /\b[0-9A-HJ-NP-Z]{7}\b(?=[^0-9A-Z]|$)/g;

/** Masks anything shaped like a FIN inside free text (URLs, messages). Leaves the first character. */
export function maskFins(text: string): string {
  return text.replace(FIN_IN_TEXT, (m) => (/[A-Z]/.test(m) && /\d/.test(m) ? `${m[0]}******` : m));
}

/**
 * Structured JSON logger. FINs, names and other personal fields are redacted wherever they appear
 * as keys (two levels deep), and FIN-shaped tokens in request URLs are masked.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const paths = PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  return pino({
    level,
    redact: { paths, censor: '[masked]' },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: maskFins(req.url), id: req.id }),
    },
  }, destination);
}
export type { Logger };
