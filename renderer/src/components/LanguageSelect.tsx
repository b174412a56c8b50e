import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../i18n';
import { LANGUAGES, isLanguage } from '../i18n/languages';

/** Switches the interface language at once; the choice is remembered. */
export function LanguageSelect(props: { compact?: boolean; testId?: string }): ReactNode {
  const { t, i18n } = useTranslation('common');
  const id = useId();
  return (
    <span className={props.compact ? 'language compact' : 'language'}>
      <label htmlFor={id}>{t('language.label')}</label>
      <select
        id={id}
        data-testid={props.testId ?? 'language-select'}
        value={i18n.resolvedLanguage ?? i18n.language}
        onChange={(e) => {
          if (isLanguage(e.target.value)) setLanguage(e.target.value);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
