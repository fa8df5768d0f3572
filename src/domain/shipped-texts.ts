import { PROCESS_TEMPLATES, type Text } from './sales-process-templates.ts';

/**
 * Every text of the shipped process templates (names, descriptions, stage names, purposes,
 * milestones, actions, evidence labels) in both languages. A workspace stores a template's texts
 * in its own language when it copies one (docs/sales-process.md § Sales processes and stages);
 * a reader of the other language sees an unedited shipped text in theirs, while a text an
 * administrator wrote stays as written.
 */
export function shippedTexts(): Text[] {
  return PROCESS_TEMPLATES.flatMap((template) => [
    template.name,
    template.description,
    ...template.stages.flatMap((stage) => [
      stage.name,
      stage.purpose,
      stage.milestone,
      ...stage.actions,
      ...stage.evidence.map((item) => item.label),
    ]),
  ]);
}

/**
 * For each language, the shipped texts of the other language mapped to this one. Where the
 * templates word one text two ways (意向 and 意向客户 are both "Intent"), the first wins: both
 * are right.
 */
export function shippedTranslations(): Record<'zh' | 'en', Map<string, string>> {
  const toZh = new Map<string, string>();
  const toEn = new Map<string, string>();
  for (const text of shippedTexts()) {
    if (!toEn.has(text.zh)) toEn.set(text.zh, text.en);
    if (!toZh.has(text.en)) toZh.set(text.en, text.zh);
  }
  return { zh: toZh, en: toEn };
}
