import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { L, Lang } from '../types.ts';

const LOCALES: Record<Lang, string> = { az: 'az-AZ', ru: 'ru-RU', en: 'en-GB' };

export function useLang(): Lang {
  const { i18n } = useTranslation();
  const lang = (i18n.resolvedLanguage ?? i18n.language ?? 'az').slice(0, 2);
  return lang === 'ru' || lang === 'en' ? lang : 'az';
}

/** Picks the current language out of a translated `{ az, ru, en }` value. */
export function useL(): (text: L | string | null | undefined) => string {
  const lang = useLang();
  return useCallback(
    (text) => {
      if (text == null) return '';
      if (typeof text === 'string') return text;
      return text[lang] || text.az || text.en || text.ru || '';
    },
    [lang],
  );
}

/** Dates and times are shown on Baku time, the calendar the SLA deadlines are counted in. */
const TIME_ZONE = 'Asia/Baku';

/** Day, month, year, hour and minute of an instant in Baku, as two-digit strings. */
function parts(d: Date, withTime: boolean, utc: boolean) {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    timeZone: utc ? 'UTC' : TIME_ZONE,
  });
  const get = (type: string) => fmt.formatToParts(d).find((p) => p.type === type)?.value ?? '';
  return { day: get('day'), month: get('month'), year: get('year'), hour: get('hour'), minute: get('minute') };
}

/**
 * Date formats per language. Azerbaijani uses DD.MM.YYYY, written out here because browsers'
 * locale data for az is patchy (e.g. "2026 M11 23").
 */
export function useFormat() {
  const lang = useLang();
  const locale = LOCALES[lang];
  const toDate = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return {
    date: (iso: string | null | undefined) => {
      if (!iso) return '—';
      const d = toDate(iso);
      if (Number.isNaN(d.getTime())) return iso;
      // A bare date is a calendar day, not an instant: format it without shifting time zones.
      const utc = iso.length === 10;
      if (lang === 'az') {
        const p = parts(d, false, utc);
        return `${p.day}.${p.month}.${p.year}`;
      }
      return d.toLocaleDateString(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: utc ? 'UTC' : TIME_ZONE });
    },
    dateTime: (iso: string | null | undefined) => {
      if (!iso) return '—';
      const d = toDate(iso);
      if (Number.isNaN(d.getTime())) return iso;
      if (lang === 'az') {
        const p = parts(d, true, false);
        return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
      }
      return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE });
    },
    money: (value: number | string | null | undefined) => {
      const n = typeof value === 'string' ? Number(value) : value;
      if (n == null || Number.isNaN(n)) return '—';
      return `${n.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ₼`;
    },
  };
}
