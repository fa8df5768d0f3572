import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { suggestMapping, templateHeaders } from '../../src/domain/import-headers.ts';
import { splitProducts, validateOpportunityRow } from '../../src/domain/import-opportunities.ts';
import { suggestName } from '../../src/domain/import-unknown-values.ts';
import type { IsoDate } from '../../src/domain/calendar.ts';

/** The pure part of the opportunity import (docs/sales-process.md § Import of opportunities). */
describe('opportunity import rows', () => {
  const headers = templateHeaders('opportunities', 'zh-CN');
  const mapping = suggestMapping('opportunities', headers);
  const ctx = { today: '2026-06-30' as IsoDate, valueMapping: {} };
  const row = (cells: Record<string, string>) => headers.map((_, index) => cells[String(index)] ?? '');
  const at = (field: string) => String(mapping[field as keyof typeof mapping]);

  it("maps the template's own headers, in both languages", () => {
    assert.ok(Object.values(mapping).every((column) => typeof column === 'number'));
    const english = suggestMapping('opportunities', templateHeaders('opportunities', 'en-US'));
    assert.deepEqual(english, mapping);
  });

  it('reads amounts, dates, status words and products; a closed deal needs its reason and who won', () => {
    const good = validateOpportunityRow(
      row({
        [at('accountName')]: '甲公司',
        [at('name')]: 'MES',
        [at('amount')]: '128.5万',
        [at('expectedCloseDate')]: '2026年6月1日',
        [at('dealStatus')]: '丢单',
        [at('lossReason')]: '价格',
        [at('competitor')]: 'none',
        [at('products')]: 'MES、WMS；MES',
      }),
      mapping,
      ctx,
    );
    assert.deepEqual(good.problems, []);
    assert.deepEqual(
      [good.values!.amount, good.values!.expectedCloseDate, good.values!.status, good.values!.lossReason],
      [128_500_000, '2026-06-01', 'lost', 'price'],
    );
    assert.deepEqual(good.values!.products, ['MES', 'WMS']);
    const bad = validateOpportunityRow(
      row({
        [at('accountName')]: '甲公司',
        [at('name')]: 'MES',
        [at('amount')]: '0',
        [at('expectedCloseDate')]: '2026-07-02',
        [at('dealStatus')]: 'Won',
      }),
      mapping,
      ctx,
    );
    assert.deepEqual(
      bad.problems.map((problem) => `${problem.field}:${problem.code}`),
      ['amount:invalid_amount', 'expectedCloseDate:future_close'],
      'a won deal needs an amount above 0 and cannot be won after today',
    );
    const lost = validateOpportunityRow(
      row({
        [at('name')]: 'X',
        [at('amount')]: '1',
        [at('expectedCloseDate')]: '2026-06-01',
        [at('dealStatus')]: 'lost',
      }),
      mapping,
      ctx,
    );
    assert.deepEqual(
      lost.problems.map((problem) => `${problem.field}:${problem.code}`),
      ['accountName:required', 'lossReason:required', 'competitor:required'],
    );
  });

  it('splits products on the separators people use', () => {
    assert.deepEqual(splitProducts('A, B，C;D；E、F'), ['A', 'B', 'C', 'D', 'E', 'F']);
    assert.deepEqual(splitProducts(null), []);
  });

  it('suggests the workspace name a stage most likely stands for, in either language', () => {
    const names = ['意向', '方案', '谈判', '成交'];
    assert.equal(suggestName('Proposal stage', names), '方案');
    assert.equal(suggestName('商务谈判', names), '谈判');
    assert.equal(suggestName('Kick-off', names), undefined);
  });
});
