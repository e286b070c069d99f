/** Languages the product speaks; Azerbaijani first. */
export const LOCALES = ['az', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in every supported language. */
export type Translated = Record<Locale, string>;

/** Picks the caller's language from an Accept-Language header or a `lang` value; defaults to az. */
export function pickLocale(header: string | undefined | null): Locale {
  if (!header) return 'az';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase().slice(0, 2), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) if ((LOCALES as readonly string[]).includes(tag)) return tag as Locale;
  return 'az';
}

/** Fills `{name}` placeholders in a message. */
export function format(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}
