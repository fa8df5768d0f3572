import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { companyNameKey, nameSimilarity, SIMILAR_NAME_THRESHOLD } from '../../src/domain/company-name.ts';
import { SimilarNameIndex, type NamedKey } from '../../src/domain/similar-names.ts';

const named = (name: string, ref: number): NamedKey<number> => ({ ref, name, key: companyNameKey(name) });

describe('similar company names (docs/archive.md, on import)', () => {
  it('finds a look-alike but not the identical key (that is a duplicate) nor an unrelated name', () => {
    const idx = new SimilarNameIndex([
      named('深圳市华为技术有限公司', 1),
      named('宁波恒泰精密制造有限公司', 2),
      named('杭州海康威视数字技术股份有限公司', 3),
    ]);
    const mostSimilar = idx.mostSimilar(companyNameKey('深圳华为技术服务有限公司'));
    assert.equal(mostSimilar?.ref, 1);
    assert.ok(mostSimilar!.similarity >= SIMILAR_NAME_THRESHOLD && mostSimilar!.similarity < 1);
    assert.equal(
      idx.mostSimilar(companyNameKey('华为技术有限公司')),
      null,
      'same key: the exact-duplicate check handles it',
    );
    assert.equal(idx.mostSimilar(companyNameKey('上海振华重工有限公司')), null);
    assert.equal(idx.mostSimilar(''), null);
  });

  it('agrees with a scan of every name, on 3,000 generated names built from shared words', () => {
    // Names drawn from a small vocabulary share many pairs: the hard case for an index that
    // enters through rare pairs only.
    const words = [
      '华锐',
      '恒泰',
      '精密',
      '制造',
      '科技',
      '电子',
      '智能',
      '装备',
      '新能源',
      '汽车',
      '零部件',
      '机械',
      '数控',
      '光电',
      '材料',
      '信息',
    ];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const make = () =>
      Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => words[Math.floor(rnd() * words.length)]).join('') +
      '有限公司';
    const all = Array.from({ length: 3000 }, (_, i) => named(make(), i));
    const idx = new SimilarNameIndex(all);
    let found = 0;
    for (let trial = 0; trial < 300; trial++) {
      const key = companyNameKey(make());
      const scan = all
        .filter((e) => e.key !== key)
        .map((e) => nameSimilarity(key, e.key))
        .reduce((a, b) => Math.max(a, b), 0);
      const hit = idx.mostSimilar(key);
      if (scan >= SIMILAR_NAME_THRESHOLD) {
        found++;
        assert.ok(hit, `a name ${scan} similar to ${key} exists`);
        assert.equal(hit.similarity, scan, key);
      } else assert.equal(hit, null, key);
    }
    assert.ok(found > 30, `the generated names give look-alikes to find (${found})`);
  });

  it("grows as rows are added, so a file's own rows warn about each other", () => {
    const idx = new SimilarNameIndex<string>();
    assert.equal(idx.mostSimilar(companyNameKey('苏州瑞丰精工机械有限公司')), null);
    idx.add({ ref: 'row 2', name: '苏州瑞丰精工机械有限公司', key: companyNameKey('苏州瑞丰精工机械有限公司') });
    assert.equal(idx.mostSimilar(companyNameKey('苏州瑞丰精工机械设备有限公司'))?.ref, 'row 2');
    assert.equal(
      idx.mostSimilar(companyNameKey('瑞丰精工机械（苏州）有限公司')),
      null,
      'the same key once the place is dropped: a duplicate, not a look-alike',
    );
  });
});
