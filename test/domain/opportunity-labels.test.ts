import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BUYING_PHASES } from '../../src/domain/buying-phase.ts';
import { FORECAST_CATEGORIES, LOSS_REASONS, OPPORTUNITY_STATUSES } from '../../src/domain/opportunity.ts';
import {
  BUYING_PHASE_LABELS,
  FORECAST_CATEGORY_LABELS,
  LOSS_REASON_LABELS,
  OPPORTUNITY_STATUS_LABELS,
  SIZE_CLASS_LABELS,
} from '../../src/domain/opportunity-labels.ts';

describe('opportunity labels', () => {
  it('label every code of every vocabulary in both languages, and nothing else', () => {
    const cases = [
      [OPPORTUNITY_STATUSES, OPPORTUNITY_STATUS_LABELS],
      [FORECAST_CATEGORIES, FORECAST_CATEGORY_LABELS],
      [LOSS_REASONS, LOSS_REASON_LABELS],
      [BUYING_PHASES, BUYING_PHASE_LABELS],
      [['small', 'large'], SIZE_CLASS_LABELS],
    ] as const;
    for (const [codes, labels] of cases) {
      assert.deepEqual(Object.keys(labels).sort(), [...codes].sort());
      for (const label of Object.values(labels)) assert.ok(label.zh && label.en);
    }
  });

  it('call a commit forecast 确保 (docs/sales-process.md), in the export and on screen alike', async () => {
    const zh = (await import('../../web/src/features/opportunities/messages.zh-CN.ts')).opportunitiesZhCN as Record<
      string,
      string
    >;
    const en = (await import('../../web/src/features/opportunities/messages.en-US.ts')).opportunitiesEnUS as Record<
      string,
      string
    >;
    assert.equal(FORECAST_CATEGORY_LABELS.commit!.zh, '确保');
    for (const forecastCategory of FORECAST_CATEGORIES)
      assert.deepEqual(
        [zh[`opps.forecast.${forecastCategory}`], en[`opps.forecast.${forecastCategory}`]],
        [FORECAST_CATEGORY_LABELS[forecastCategory]!.zh, FORECAST_CATEGORY_LABELS[forecastCategory]!.en],
        forecastCategory,
      );
  });
});
