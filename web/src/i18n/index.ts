import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import az from './az.json';
import en from './en.json';
import ru from './ru.json';
import { LANGS, type Lang } from '../types.ts';

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
  resources: { az: { translation: az }, ru: { translation: ru }, en: { translation: en } },
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
