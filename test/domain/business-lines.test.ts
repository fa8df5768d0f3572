import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { businessLineProblems, lineOfProducts, type BusinessLine } from '../../src/domain/business-lines.ts';

const LINES: BusinessLine[] = [
  { key: 'software', nameZh: '软件', nameEn: 'Software', products: ['ERP', 'MES'] },
  { key: 'services', nameZh: '服务', nameEn: 'Services', products: ['实施服务', 'Training'] },
  { key: 'distribution', nameZh: '分销', nameEn: 'Distribution', products: ['服务器'] },
];

describe('business lines (docs/targets.md § Business lines)', () => {
  it('a deal counts toward the line of its products, matched whatever their case and spaces', () => {
    assert.equal(lineOfProducts(['ERP'], LINES), 'software');
    assert.equal(lineOfProducts([' mes '], LINES), 'software');
    assert.equal(lineOfProducts(['training'], LINES), 'services');
  });

  it('products of two lines: the line most of them belong to, a tie to the line of the product listed first', () => {
    assert.equal(lineOfProducts(['实施服务', 'ERP', 'MES'], LINES), 'software', 'two software against one service');
    assert.equal(lineOfProducts(['实施服务', 'ERP'], LINES), 'services', 'a tie: the first listed');
    assert.equal(lineOfProducts(['ERP', '实施服务'], LINES), 'software');
    assert.equal(lineOfProducts(['其他', '服务器'], LINES), 'distribution', 'products of no line do not vote');
  });

  it('no products, products of no line, or a workspace without lines: no line', () => {
    assert.equal(lineOfProducts([], LINES), '');
    assert.equal(lineOfProducts(['咨询'], LINES), '');
    assert.equal(lineOfProducts(['ERP'], []), '');
  });

  it('each key and each product once across the lines, naming the field', () => {
    assert.deepEqual(businessLineProblems(LINES), []);
    const problems = businessLineProblems([
      ...LINES,
      { key: 'software', nameZh: '软件二', nameEn: 'Software 2', products: ['erp', 'CRM', 'crm'] },
    ]);
    assert.deepEqual(
      problems.map(([field]) => field),
      ['businessLines.3.key', 'businessLines.3.products.0', 'businessLines.3.products.2'],
    );
  });
});
