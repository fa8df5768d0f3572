import type { Locale } from '../../../src/domain/roles.ts';

type Vars = Record<string, string | number>;

/**
 * A message with its values: `{name}` is replaced, and a count that a noun follows picks the
 * noun's form — `{n, plural, one {# item} other {# items}}` (the ICU subset; `#` is the count),
 * chosen by the language's plural rules, so English never says "1 evidence items". Chinese
 * needs no plural forms and writes `{n} 项`.
 */
export function formatMessage(locale: Locale, text: string, vars?: Vars): string {
  if (!vars) return text;
  const rules = new Intl.PluralRules(locale);
  const withPlurals = text.replace(
    /\{(\w+), plural,((?:\s*[\w=]+\s*\{[^{}]*\})+)\s*\}/g,
    (match, name: string, branches: string) => {
      const count = Number(vars[name]);
      if (!(name in vars) || Number.isNaN(count)) return match;
      const forms = Object.fromEntries([...branches.matchAll(/([\w=]+)\s*\{([^{}]*)\}/g)].map((b) => [b[1]!, b[2]!]));
      const form = forms[`=${count}`] ?? forms[rules.select(count)] ?? forms.other ?? match;
      return form.replace(/#/g, String(vars[name]));
    },
  );
  return withPlurals.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** The names of the values a message takes, plain or counted: both languages of a key must take the same. */
export const placeholderNames = (text: string) =>
  [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]!))].sort();

/** A count that stopped at the server's cap shows as "10,000+" (the needs-attention cards and tags). */
export const countShown = (count: number, capped: boolean | undefined, locale: Locale): string | number =>
  capped ? `${count.toLocaleString(locale)}+` : count;
