import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import az from './az.json';
import en from './en.json';
import ru from './ru.json';
import { LANGS, type Lang } from '../types.ts';

type Messages = Record<string, unknown>;
/**
 * Each feature may keep its own messages beside its pages, in `features/<name>/locales/<lang>.json`
 * (its keys under one top-level name of its own); they are merged over the shared files here.
 */
const featureFiles = import.meta.glob<Messages>('../features/*/locales/*.json', { eager: true, import: 'default' });
function withFeatures(lang: Lang, base: Messages): Messages {
  const out: Messages = { ...base };
  for (const [file, messages] of Object.entries(featureFiles)) {
    if (!file.endsWith(`/${lang}.json`)) continue;
    for (const [key, value] of Object.entries(messages)) {
      if (key in out) throw new Error(`i18n: ${file} redefines the top-level key ${key}`);
      out[key] = value;
    }
  }
  return out;
}

export const LANG_STORAGE_KEY = 'dost.lang';

function initialLang(): Lang {
  try {
    const stored = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
    if (stored && (LANGS as readonly string[]).includes(stored)) return stored as Lang;
  } catch {
    /* storage unavailable */
  }
  return 'az';
}

void i18n.use(initReactI18next).init({
  resources: { az: { translation: withFeatures('az', az) }, ru: { translation: withFeatures('ru', ru) }, en: { translation: withFeatures('en', en) } },
  lng: initialLang(),
  fallbackLng: 'az',
  supportedLngs: [...LANGS],
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
  try {
    globalThis.localStorage?.setItem(LANG_STORAGE_KEY, lng);
  } catch {
    /* storage unavailable */
  }
});
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export default i18n;
