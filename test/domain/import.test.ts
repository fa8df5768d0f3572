import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { missingRequired, parseIndustry, parseStatus, suggestMapping } from '../../src/domain/import-fields.ts';
import { InFileDuplicates, parseDateCell, validateAccountRow } from '../../src/domain/import-validate.ts';
import { csvLine, decodeText, detectEncoding, neutraliseCell, sniffFormat } from '../../src/domain/spreadsheet-format.ts';
import { makeCreditCode } from '../../src/domain/credit-code.ts';

describe('spreadsheet format helpers', () => {
  it('recognises xlsx, old xls, binary and CSV by content', () => {
    assert.equal(sniffFormat(Buffer.from('PK\x03\x04rest')).format, 'xlsx');
    assert.equal(sniffFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2])).format, 'unknown');
    assert.equal(sniffFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0])).format, 'unknown');
    assert.equal(sniffFormat(Buffer.from('名称,城市\n甲,乙\n')).format, 'csv');
    assert.equal(sniffFormat(Buffer.alloc(0)).format, 'unknown');
  });

  it('detects UTF-8 (with or without BOM) and falls back to GB18030 for GBK bytes', () => {
    assert.equal(detectEncoding(Buffer.from('\ufeff客户')), 'utf-8');
    assert.equal(detectEncoding(Buffer.from('客户')), 'utf-8');
    const gbk = Buffer.from([0xbf, 0xcd, 0xbb, 0xa7]); // "客户" in GBK
    assert.equal(detectEncoding(gbk), 'gb18030');
    assert.equal(decodeText(gbk, 'gb18030'), '客户');
    assert.equal(decodeText(Buffer.from('\ufeffa,b'), 'utf-8'), 'a,b');
  });

  it('neutralises cells a spreadsheet would evaluate, and quotes CSV fields', () => {
    for (const s of ['=1+1', '+86', '-2', '@SUM(A1)', '\tx', '\rx']) assert.equal(neutraliseCell(s), `'${s}`);
    assert.equal(neutraliseCell('华为'), '华为');
    assert.equal(csvLine(['a,b', 'say "hi"', '=cmd', 3, null]), '"a,b","say ""hi""",\'=cmd,3,\r\n');
  });
});

describe('import mapping and validation', () => {
  it('suggests a mapping from Chinese and English headers, and prefers a remembered one', () => {
    const m = suggestMapping('accounts', ['公司名称', 'Credit Code', '所属行业', '电话', 'Owner'], null);
    assert.equal(m.name, 0);
    assert.equal(m.creditCode, 1);
    assert.equal(m.industry, 2);
    assert.equal(m.phone, 3);
    assert.equal(m.ownerEmail, 4);
    assert.equal(m.city, null);
    const r = suggestMapping('accounts', ['X', '客户名称', '单位'], { name: '单位' });
    assert.equal(r.name, 2, 'remembered mapping wins over the header heuristics');
    const c = suggestMapping('contacts', ['公司', '联系人', '手机号', '座机'], null);
    assert.deepEqual([c.accountName, c.name, c.mobile, c.phone], [0, 1, 2, 3]);
  });

  it('lists the required fields a mapping leaves out', () => {
    assert.deepEqual(missingRequired('accounts', { city: 1 }), ['name']);
    assert.deepEqual(missingRequired('contacts', { name: 0 }), ['accountName|accountCreditCode']);
    assert.deepEqual(missingRequired('contacts', { name: 0, accountCreditCode: 1 }), []);
  });

  it('accepts codes and Chinese or English labels for coded values', () => {
    assert.equal(parseIndustry('机械'), 'machinery');
    assert.equal(parseIndustry('Machinery'), 'machinery');
    assert.equal(parseStatus('成交客户'), 'customer');
    assert.equal(parseStatus('潜在'), 'prospect');
    assert.equal(parseIndustry('外星'), undefined);
  });

  it('reports every problem of a row with its field', () => {
    const ctx = { assignableEmails: new Set(['rep@x.cn']), canChooseOwner: true };
    const mapping = { name: 0, creditCode: 1, industry: 2, ownerEmail: 3 };
    const bad = validateAccountRow(['', '123', '外星', 'nobody@x.cn'], mapping, ctx);
    assert.equal(bad.values, null);
    assert.deepEqual(bad.problems.map((p) => `${p.field}:${p.code}`), ['name:required', 'creditCode:invalid_credit_code', 'ownerEmail:unknown_owner', 'industry:unknown_value']);
    const code = makeCreditCode('91310000MA1FL0001');
    const ok = validateAccountRow(['上海某某有限公司', code.toLowerCase(), '制造业', 'REP@x.cn'], mapping, ctx);
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.values!.creditCode, code);
    assert.equal(ok.values!.ownerEmail, 'rep@x.cn');
    const asRep = validateAccountRow(['某公司', '', '', 'nobody@x.cn'], mapping, { ...ctx, canChooseOwner: false });
    assert.deepEqual(asRep.problems, [], 'a rep\'s owner column is ignored: imports are theirs');
  });

  it('parses the dates people type and rejects impossible ones', () => {
    assert.equal(parseDateCell('1980/5/6'), '1980-05-06');
    assert.equal(parseDateCell('1980年5月6日'), '1980-05-06');
    assert.equal(parseDateCell('2023-02-29'), null);
    assert.equal(parseDateCell('next week'), null);
  });

  it('finds duplicates within a file by credit code, then by name key', () => {
    const d = new InFileDuplicates();
    assert.equal(d.check(2, 'A', 'huawei'), null);
    assert.deepEqual(d.check(3, 'A', 'other'), { by: 'creditCode', row: 2 });
    assert.deepEqual(d.check(4, null, 'huawei'), { by: 'name', row: 2 });
    assert.equal(d.check(5, 'B', 'zte'), null);
  });
});
