import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalProvince,
  localityKey,
  localitySpellings,
  provinceKey,
  PROVINCES,
  storedProvince,
} from '../../src/domain/regions.ts';
import { matchTerritory, samePlace, type TerritoryRule } from '../../src/domain/territory.ts';
import { findConflicts } from '../../src/domain/territory-conflicts.ts';

describe('region names (docs/organisation.md territories)', () => {
  it('knows the 34 province-level divisions by their full names', () => {
    assert.equal(PROVINCES.length, 34);
    assert.equal(new Set(PROVINCES).size, 34);
    for (const province of PROVINCES) assert.equal(canonicalProvince(province), province, province);
  });

  it('gives the full name for short, suffixed, full-width and English spellings', () => {
    const cases: [string, string][] = [
      ['上海', '上海市'],
      [' 上海市 ', '上海市'],
      ['广西', '广西壮族自治区'],
      ['广西省', '广西壮族自治区'],
      ['内蒙古', '内蒙古自治区'],
      ['新疆', '新疆维吾尔自治区'],
      ['宁夏', '宁夏回族自治区'],
      ['香港', '香港特别行政区'],
      ['黑龙江', '黑龙江省'],
      ['陕西', '陕西省'],
      ['山西', '山西省'],
      ['Shanghai', '上海市'],
      ['ＳＨＡＮＧＨＡＩ', '上海市'],
      ['shaanxi', '陕西省'],
      ['Inner Mongolia', '内蒙古自治区'],
      ['Guangdong Province', '广东省'],
      ['Hong Kong SAR', '香港特别行政区'],
    ];
    for (const [given, full] of cases) assert.equal(canonicalProvince(given), full, given);
  });

  it('knows nothing of places that are not provinces', () => {
    for (const place of ['', '  ', '测试省', '上', '市', 'Atlantis', '浦东新区', '苏州'])
      assert.equal(canonicalProvince(place), null, place);
  });

  it('compares provinces by key, unknown ones by their text without the suffix', () => {
    assert.equal(provinceKey('上海'), provinceKey('上海市'));
    assert.equal(provinceKey('广西'), provinceKey('广西壮族自治区'));
    assert.notEqual(provinceKey('山西'), provinceKey('陕西'));
    assert.equal(provinceKey('某某省'), provinceKey('某某'));
    assert.notEqual(provinceKey('某某省'), provinceKey('另某省'));
  });

  it('compares cities and districts without their suffixes, full-width made half-width', () => {
    const same: [string, string][] = [
      ['上海', '上海市'],
      ['浦东', '浦东新区'],
      ['海淀', '海淀区'],
      ['昆山', '昆山市'],
      ['长丰', '长丰县'],
      ['恩施', '恩施土家族苗族自治州'],
      ['延边', '延边朝鲜族自治州'],
      ['长阳', '长阳土家族自治县'],
      ['大兴安岭', '大兴安岭地区'],
      [' 杭州 ', '杭州市'],
      ['Ｘ区１', 'x区1'],
    ];
    for (const [spelling, variant] of same)
      assert.equal(localityKey(spelling), localityKey(variant), `${spelling} = ${variant}`);
    // Never 州 alone (苏州 is a name), and never down to one character (沙市 stays 沙市).
    assert.notEqual(localityKey('苏州'), localityKey('苏'));
    assert.equal(localityKey('沙市'), '沙市');
    assert.notEqual(localityKey('朝阳区'), localityKey('海淀区'));
  });

  it('lists the spellings a city filter matches: every one has the same key', () => {
    for (const city of ['苏州', '苏州市', ' 苏州 ']) {
      const spellings = localitySpellings(city);
      assert.ok(spellings.includes('苏州') && spellings.includes('苏州市'), `${city}: ${spellings.join()}`);
      assert.ok(
        spellings.every((x) => localityKey(x) === localityKey('苏州')),
        spellings.join(),
      );
    }
    assert.ok(localitySpellings('浦东').includes('浦东新区'));
    assert.ok(localitySpellings('恩施土家族苗族自治州').includes('恩施土家族苗族自治州'), 'the name as typed');
    assert.ok(!localitySpellings('苏州').includes('苏'));
    assert.deepEqual(localitySpellings('Suzhou'), ['Suzhou', 'suzhou']);
    assert.deepEqual(localitySpellings('  '), []);
  });

  it('stores an account province by its full name, other text as written', () => {
    assert.equal(storedProvince('上海'), '上海市');
    assert.equal(storedProvince('  某 地  '), '某 地');
    assert.equal(storedProvince(''), null);
    assert.equal(storedProvince(null), null);
  });
});

describe('territory matching compares regions by key', () => {
  const rule = (id: number, userId: number, over: Partial<TerritoryRule>): TerritoryRule => ({
    id,
    userId,
    province: null,
    city: null,
    district: null,
    industry: null,
    ...over,
  });

  it('a 上海市 rule takes a 上海 account; 广西 and 广西壮族自治区 are one place', () => {
    const rules = [
      rule(1, 10, { province: '上海市', industry: 'electronics' }),
      rule(2, 20, { province: '广西壮族自治区', city: '南宁市' }),
    ];
    assert.deepEqual(matchTerritory(rules, { province: '上海', city: null, district: null, industry: 'electronics' }), {
      kind: 'assigned',
      userId: 10,
      ruleIds: [1],
    });
    assert.deepEqual(
      matchTerritory(rules, { province: 'Shanghai', city: '上海', district: null, industry: 'electronics' }),
      { kind: 'assigned', userId: 10, ruleIds: [1] },
    );
    assert.deepEqual(matchTerritory(rules, { province: '广西', city: '南宁', district: null, industry: null }), {
      kind: 'assigned',
      userId: 20,
      ruleIds: [2],
    });
    assert.deepEqual(matchTerritory(rules, { province: '上海', city: null, district: null, industry: 'energy' }), {
      kind: 'none',
    });
    assert.deepEqual(matchTerritory(rules, { province: '广西', city: '柳州', district: null, industry: null }), {
      kind: 'none',
    });
  });

  it('the conflicts report sees one place however each rule writes it', () => {
    const rules = [
      rule(1, 10, { province: '上海市', city: '上海市', industry: 'electronics' }),
      rule(2, 20, { province: '上海', city: '上海', industry: 'electronics' }),
      rule(3, 30, { province: '内蒙古', industry: 'energy' }),
      rule(4, 40, { province: '内蒙古自治区', industry: 'metals' }),
    ];
    const found = findConflicts(rules);
    assert.equal(found.length, 1);
    assert.deepEqual(
      [found[0]!.ruleIds, found[0]!.userIds],
      [
        [1, 2],
        [10, 20],
      ],
    );
    assert.equal(found[0]!.place.province, '上海市', 'the place as the rules write it');
  });

  it('two spellings of one place are the same place (a duplicate rule)', () => {
    const place = { province: '上海', city: '浦东', district: null, industry: 'electronics' };
    assert.equal(
      samePlace(place, { province: '上海市', city: '浦东新区', district: null, industry: 'electronics' }),
      true,
    );
    assert.equal(samePlace(place, { province: '上海市', city: '浦东新区', district: null, industry: null }), false);
  });
});
