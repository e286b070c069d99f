import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGS, type Lang } from '../types.ts';
import { useLang } from './format.ts';
import classes from './Layout.module.css';

const NAMES: Record<Lang, string> = { az: 'Azərbaycanca', ru: 'Русский', en: 'English' };

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const current = useLang();
  return (
    <Group gap={2} role="group" aria-label={t('header.language')}>
      {LANGS.map((lang) => (
        <Button
          key={lang}
          size="compact-sm"
          variant={lang === current ? 'white' : 'transparent'}
          c={lang === current ? undefined : 'white'}
          className={classes.lang}
          aria-pressed={lang === current}
          aria-label={`${lang.toUpperCase()} — ${NAMES[lang]}`}
          lang={lang}
          title={NAMES[lang]}
          onClick={() => void i18n.changeLanguage(lang)}
        >
          {lang.toUpperCase()}
        </Button>
      ))}
    </Group>
  );
}
