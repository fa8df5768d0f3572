import { useMemo } from 'react';
import { shippedTranslations } from '../../../../src/domain/shipped-texts.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import type { Process, Stage } from '../../../../src/contracts/sales-processes.ts';

const TRANSLATIONS = shippedTranslations();

/**
 * The reader's language for the shipped template texts a workspace copied in its own (a process,
 * stage, milestone or evidence label still as shipped): 小项目 reads "Small project" in English
 * and the reverse. Anything an administrator wrote or edited shows as written.
 */
export function useShippedText() {
  const { locale } = useI18n();
  return useMemo(() => {
    const table = TRANSLATIONS[locale === 'en-US' ? 'en' : 'zh'];
    return <T extends string | null | undefined>(value: T): T =>
      (value === null || value === undefined ? value : (table.get(value) ?? value)) as T;
  }, [locale]);
}

export type ShippedText = ReturnType<typeof useShippedText>;
type Shipped = ShippedText;

/** A process as the reader sees it: its shipped texts in their language (see useShippedText). */
export function localizeProcess<P extends Process>(process: P, shipped: Shipped): P {
  return {
    ...process,
    name: shipped(process.name),
    description: shipped(process.description),
    stages: process.stages.map((stage) => localizeStage(stage, shipped)),
  };
}

export function localizeStage<S extends Stage>(stage: S, shipped: Shipped): S {
  return {
    ...stage,
    name: shipped(stage.name),
    purpose: shipped(stage.purpose),
    milestone: shipped(stage.milestone),
    actions: stage.actions.map((action) => shipped(action)),
    evidence: stage.evidence.map((item) => ({ ...item, label: shipped(item.label) })),
  };
}

/** A deal (or a stage-history entry) names its stage and process as stored: shown in the reader's language. */
export function localizeDeal<D extends { stageName: string | null; processName?: string | null }>(
  deal: D,
  shipped: Shipped,
): D {
  return {
    ...deal,
    stageName: shipped(deal.stageName),
    ...(deal.processName === undefined ? {} : { processName: shipped(deal.processName) }),
  };
}
