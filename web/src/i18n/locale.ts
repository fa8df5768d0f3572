import { followLanguage } from './dates.ts';

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'keyline.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The language to show before we know who the user is: the last choice made in this
 * browser, else the browser's own preference. Chinese is the default market.
 */
export function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage can be blocked (private mode, policies); fall through to the browser language.
  }
  return navigator.language.toLowerCase().startsWith('en') ? 'en-US' : 'zh-CN';
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered across visits; the signed-in user's profile still carries it.
  }
}

/** Date pickers and the <html lang> attribute follow the interface language. */
export function applyLocale(locale: Locale): void {
  followLanguage(locale);
  document.documentElement.lang = locale;
}

/**
 * A language picked on the sign-in page, before anyone is signed in: the choice just made
 * wins over the profile's at sign-in (and is saved to the profile then).
 */
let chosenBeforeSignIn: Locale | null = null;
export function chooseBeforeSignIn(locale: Locale): void {
  chosenBeforeSignIn = locale;
}
export function takeChoiceBeforeSignIn(): Locale | null {
  const choice = chosenBeforeSignIn;
  chosenBeforeSignIn = null;
  return choice;
}
