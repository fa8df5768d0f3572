import { createContext, useCallback, useMemo, useState, type ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import antdZhCN from 'antd/locale/zh_CN';
import antdEnUS from 'antd/locale/en_US';
import { zhCN, type MessageKey, type Messages } from './zh-CN.ts';
import { enUS } from './en-US.ts';
import { applyLocale, initialLocale, rememberLocale, type Locale } from './locale.ts';
import { theme } from '../app/theme.ts';
import { formatMessage } from './format.ts';

const DICTIONARIES: Record<Locale, Messages> = { 'zh-CN': zhCN, 'en-US': enUS };
const ANTD_LOCALES = { 'zh-CN': antdZhCN, 'en-US': antdEnUS };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

export const I18nContext = createContext<I18n | null>(null);

/** Holds the interface language and switches our strings, antd's and dayjs's together. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const initial = initialLocale();
    applyLocale(initial);
    return initial;
  });

  const setLocale = useCallback((next: Locale) => {
    applyLocale(next);
    rememberLocale(next);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const dict = DICTIONARIES[locale];
    const translate: Translate = (key, vars) => {
      const text = dict[key] ?? key;
      return formatMessage(locale, text, vars);
    };
    return { locale, setLocale, t: translate };
  }, [locale, setLocale]);

  return (
    <I18nContext value={value}>
      <ConfigProvider locale={ANTD_LOCALES[locale]} theme={theme}>
        {children}
      </ConfigProvider>
    </I18nContext>
  );
}
