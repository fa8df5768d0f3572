import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { missingRequired } from '../../src/domain/import-fields.ts';
import {
  normaliseValueMapping,
  parseCoded,
  parseCodedField,
  parseIndustry,
  parseStatus,
  suggestCode,
} from '../../src/domain/import-vocabulary.ts';
import { suggestMapping } from '../../src/domain/import-headers.ts';
import { UnknownValueTally } from '../../src/domain/import-unknown-values.ts';
import { parseAmountCell } from '../../src/domain/import-amounts.ts';
import { resolveReportsTo, type FileContact, type KnownContact } from '../../src/domain/import-reports-to.ts';
import {
  InFileDuplicates,
  parseDateCell,
  validateAccountRow,
  validateContactRow,
} from '../../src/domain/import-validate.ts';
import {
  csvLine,
  decodeText,
  detectEncoding,
  neutraliseCell,
  sniffFormat,
} from '../../src/domain/spreadsheet-format.ts';
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
    for (const cell of ['=1+1', '+86', '-2', '@SUM(A1)', '\tx', '\rx']) assert.equal(neutraliseCell(cell), `'${cell}`);
    assert.equal(neutraliseCell('华为'), '华为');
    assert.equal(csvLine(['a,b', 'say "hi"', '=cmd', 3, null]), '"a,b","say ""hi""",\'=cmd,3,\r\n');
  });
});

describe('import mapping and validation', () => {
  it('suggests a mapping from Chinese and English headers, and prefers a remembered one', () => {
    const mapping = suggestMapping('accounts', ['公司名称', 'Credit Code', '所属行业', '电话', 'Owner'], null);
    assert.equal(mapping.name, 0);
    assert.equal(mapping.creditCode, 1);
    assert.equal(mapping.industry, 2);
    assert.equal(mapping.phone, 3);
    assert.equal(mapping.ownerEmail, 4);
    assert.equal(mapping.city, null);
    const remembered = suggestMapping('accounts', ['X', '客户名称', '单位'], { name: '单位' });
    assert.equal(remembered.name, 2, 'remembered mapping wins over the header heuristics');
    const contactMapping = suggestMapping('contacts', ['公司', '联系人', '手机号', '座机'], null);
    assert.deepEqual(
      [contactMapping.accountName, contactMapping.name, contactMapping.mobile, contactMapping.phone],
      [0, 1, 2, 3],
    );
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

  it('answers a coded value from the vocabulary it is given, the first code winning a shared word', () => {
    // The words of a vocabulary are looked up from a table built once: it must still be this vocabulary's.
    const codes = ['first', 'second'] as const;
    const labels = { first: { zh: '甲', en: 'Shared Word' }, second: { zh: '乙', en: 'shared-word' } };
    assert.equal(parseCoded('SHARED word', codes, labels), 'first');
    assert.equal(parseCoded(' 乙 ', codes, labels), 'second');
    const other = { first: { zh: '丙', en: 'C' }, second: { zh: '丁', en: 'D' } };
    assert.equal(parseCoded('乙', codes, other), undefined, 'same codes, other labels');
    assert.equal(parseCoded('丁', codes, other), 'second');
    assert.equal(parseCoded('alias', codes, labels, { second: ['Alias'] }), 'second');
    assert.equal(parseCoded('alias', codes, labels), undefined, 'without the aliases');
  });

  it('suggests the code an unknown trade word stands for, and leaves unrelated words without one', () => {
    assert.equal(suggestCode('industry', '汽车零部件'), 'automotive');
    assert.equal(suggestCode('industry', '新能源'), 'energy');
    assert.equal(suggestCode('industry', '建材'), 'construction');
    assert.equal(suggestCode('industry', '汽车零部件制造'), 'automotive', 'the longest word it contains wins');
    assert.equal(suggestCode('industry', 'Auto parts'), 'automotive');
    assert.equal(suggestCode('leadSource', '老客户增购项目'), 'existing_customer_module');
    assert.equal(suggestCode('industry', '外星产业'), undefined);
    assert.equal(suggestCode('industry', ''), undefined);
    assert.equal(parseIndustry('汽车零部件'), undefined, 'a suggestion is asked, not assumed');
  });

  it("reads a value by the user's mapping first, compared like headers", () => {
    const mapping = normaliseValueMapping({ industry: { '汽车 零部件': 'automotive' } });
    assert.equal(parseCodedField('industry', '汽车零部件', mapping), 'automotive');
    assert.equal(parseCodedField('industry', '汽车零部件'), undefined);
    assert.equal(parseCodedField('industry', '机械', mapping), 'machinery');
    assert.equal(
      parseCodedField('industry', 'x', { industry: { x: 'not-a-code' } }),
      undefined,
      'a stored answer that is no code is ignored',
    );
  });

  it('tallies unknown values once per spelling, most frequent first, and stops tracking new ones past the cap', () => {
    const tally = new UnknownValueTally();
    const unknown = (field: string, value: string) => [
      { field, code: 'unknown_value', message: '', params: { value } },
    ];
    tally.add(unknown('industry', '新能源'));
    tally.add(unknown('industry', '汽车零部件'));
    tally.add(unknown('industry', ' 汽车零部件'));
    tally.add(unknown('size', '很大'));
    tally.add(unknown('name', 'not a coded field'));
    tally.add([{ field: 'industry', code: 'required', message: '' }]);
    assert.deepEqual(tally.list(), [
      { field: 'industry', value: '汽车零部件', rows: 2, suggestion: 'automotive' },
      { field: 'industry', value: '新能源', rows: 1, suggestion: 'energy' },
      { field: 'size', value: '很大', rows: 1, suggestion: null },
    ]);
    const many = new UnknownValueTally();
    for (let i = 0; i < UnknownValueTally.MAX_TRACKED + 50; i++) many.add(unknown('industry', `行业${i}`));
    many.add(unknown('industry', '行业0'));
    const listed = many.list();
    assert.equal(listed.length, UnknownValueTally.MAX_LISTED);
    assert.deepEqual(listed[0], { field: 'industry', value: '行业0', rows: 2, suggestion: null });
  });

  it('reports every problem of a row with its field', () => {
    const ctx = { assignableEmails: new Set(['rep@x.cn']), canChooseOwner: true };
    const mapping = { name: 0, creditCode: 1, industry: 2, ownerEmail: 3 };
    const bad = validateAccountRow(['', '123', '外星', 'nobody@x.cn'], mapping, ctx);
    assert.equal(bad.values, null);
    assert.deepEqual(
      bad.problems.map((p) => `${p.field}:${p.code}`),
      ['name:required', 'creditCode:invalid_credit_code', 'ownerEmail:unknown_owner', 'industry:unknown_value'],
    );
    const code = makeCreditCode('91310000MA1FL0001');
    const ok = validateAccountRow(['上海某某有限公司', code.toLowerCase(), '制造业', 'REP@x.cn'], mapping, ctx);
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.values!.creditCode, code);
    assert.equal(ok.values!.ownerEmail, 'rep@x.cn');
    const asRep = validateAccountRow(['某公司', '', '', 'nobody@x.cn'], mapping, { ...ctx, canChooseOwner: false });
    assert.deepEqual(asRep.problems, [], "a rep's owner column is ignored: imports are theirs");
  });

  it('gives every problem that names a value that value as params, for the page to say in its language', () => {
    const ctx = { assignableEmails: new Set(['rep@x.cn']), canChooseOwner: true };
    const mapping = { name: 0, creditCode: 1, industry: 2, ownerEmail: 3, status: 4, size: 5, website: 6 };
    const accountResult = validateAccountRow(
      ['某公司', '123', '外星', 'Nobody@x.cn', '意外', '巨大', 'x'.repeat(201)],
      mapping,
      ctx,
    );
    const params = Object.fromEntries(accountResult.problems.map((p) => [p.field, p.params]));
    assert.deepEqual(params, {
      creditCode: { value: '123' },
      ownerEmail: { email: 'nobody@x.cn' },
      industry: { value: '外星' }, // eighteen industries: too many to list in a cell
      status: { value: '意外', allowed: 'prospect,customer,dormant,lost' },
      size: { value: '巨大', allowed: 'lt50,50to200,200to1000,1000to5000,gt5000' },
      website: { max: 200 },
    });
    const contactResult = validateContactRow(['某公司', '孙明', 'not-mail', '1980-02-30'], {
      accountName: 0,
      name: 1,
      email: 2,
      birthday: 3,
    });
    assert.deepEqual(
      contactResult.problems.map((p) => [p.code, p.params]),
      [
        ['invalid_email', { value: 'not-mail' }],
        ['invalid_date', { value: '1980-02-30' }],
      ],
    );
  });

  it('parses the dates people type and rejects impossible ones', () => {
    assert.equal(parseDateCell('1980/5/6'), '1980-05-06');
    assert.equal(parseDateCell('1980年5月6日'), '1980-05-06');
    assert.equal(parseDateCell('2023-02-29'), null);
    assert.equal(parseDateCell('next week'), null);
  });

  it('finds duplicates within a file by credit code, then by name key', () => {
    const duplicates = new InFileDuplicates();
    assert.equal(duplicates.check(2, 'A', 'huawei'), null);
    assert.deepEqual(duplicates.check(3, 'A', 'other'), { by: 'creditCode', row: 2 });
    assert.deepEqual(duplicates.check(4, null, 'huawei'), { by: 'name', row: 2 });
    assert.equal(duplicates.check(5, 'B', 'zte'), null);
  });
});

describe('contacts import: reports to', () => {
  const ACC = 7;
  const row = (
    rowNo: number,
    name: string,
    reportsTo: string | null,
    overrides: Partial<FileContact> = {},
  ): FileContact => ({
    rowNo,
    accountId: ACC,
    contactId: null,
    name,
    mobile: null,
    email: null,
    reportsTo,
    ...overrides,
  });
  const known = (id: number, name: string, overrides: Partial<KnownContact> = {}): KnownContact => ({
    id,
    accountId: ACC,
    name,
    mobile: null,
    email: null,
    reportsToId: null,
    archived: false,
    ...overrides,
  });
  const codes = (problems: Map<number, { code: string }>) =>
    Object.fromEntries([...problems].map(([n, p]) => [n, p.code]));

  it('maps the "直属上级" column and reads it as written', () => {
    const mapping = suggestMapping('contacts', ['客户名称', '姓名', '直属上级'], null);
    assert.equal(mapping.reportsTo, 2);
    assert.equal(validateContactRow(['某公司', '孙明', ' 赵总 '], mapping).values!.reportsTo, '赵总');
  });

  it('links to a manager whose row comes later in the file, or who is already in Keyline', () => {
    const resolved = resolveReportsTo(
      [known(40, 'Ren Zheng')],
      [row(2, '孙明', '赵总'), row(3, '赵总', 'ren zheng'), row(4, '钱一', ' 赵总')],
    );
    assert.deepEqual(codes(resolved.problems), {});
    assert.deepEqual(resolved.links, [
      { rowNo: 2, contact: { rowNo: 2 }, manager: { rowNo: 3 } },
      { rowNo: 3, contact: { rowNo: 3 }, manager: { contactId: 40 } },
      { rowNo: 4, contact: { rowNo: 4 }, manager: { rowNo: 3 } },
    ]);
  });

  it('refuses a manager that names no contact of the account, and rows that depend on a refused row', () => {
    const other = known(41, '外人', { accountId: ACC + 1 });
    const resolved = resolveReportsTo(
      [other, known(42, '离职者', { archived: true })],
      [row(2, '甲', '外人'), row(3, '乙', '离职者'), row(4, '丙', '甲')],
    );
    assert.deepEqual(codes(resolved.problems), { 2: 'unknown_contact', 3: 'unknown_contact', 4: 'manager_row_error' });
    assert.deepEqual(resolved.links, []);
  });

  it('refuses a cycle in the file, and one closed through an existing line', () => {
    const inFile = resolveReportsTo([], [row(2, 'A', 'B'), row(3, 'B', 'A'), row(4, 'C', 'C')]);
    assert.deepEqual(codes(inFile.problems), { 2: 'reporting_cycle', 3: 'reporting_cycle', 4: 'reporting_cycle' });
    // Keyline has X → Y; the file makes Y report to X (an update of Y).
    const viaDb = resolveReportsTo(
      [known(50, 'X', { reportsToId: 51 }), known(51, 'Y')],
      [row(2, 'Y', 'X', { contactId: 51 })],
    );
    assert.deepEqual(codes(viaDb.problems), { 2: 'reporting_cycle' });
    // Keyline has Q → P. The file: P → Q, Q → R (new), R → nobody. Refusing R drops Q → R, so Q → P
    // is back and P → Q closes a loop: found on the second round.
    const cascade = resolveReportsTo(
      [known(60, 'P'), known(61, 'Q', { reportsToId: 60 })],
      [row(2, 'P', 'Q', { contactId: 60 }), row(3, 'Q', 'R', { contactId: 61 }), row(4, 'R', 'nobody')],
    );
    assert.deepEqual(codes(cascade.problems), { 2: 'reporting_cycle', 3: 'manager_row_error', 4: 'unknown_contact' });
    assert.deepEqual(
      [2, 3, 4].map((n) => cascade.problems.get(n)!.params),
      [{ name: 'Q' }, { name: 'R', row: 4 }, { name: 'nobody' }],
    );
  });

  it('refuses a name two contacts share; their mobile or e-mail picks one', () => {
    const knownContacts = [known(70, '张伟', { mobile: '138 0013 8000' })];
    const rows = [
      row(2, '张伟', null, { email: 'zw@x.cn' }),
      row(3, '李娜', '张伟'),
      row(4, '王强', '13800138000'),
      row(5, '刘洋', 'ZW@x.cn'),
    ];
    const resolved = resolveReportsTo(knownContacts, rows);
    assert.deepEqual(codes(resolved.problems), { 3: 'ambiguous_contact' });
    assert.deepEqual(resolved.problems.get(3)!.params, { name: '张伟', count: 2 });
    assert.deepEqual(
      resolved.links.map((l) => [l.rowNo, l.manager]),
      [
        [4, { contactId: 70 }],
        [5, { rowNo: 2 }],
      ],
    );
  });
});

describe('purchase history rows', () => {
  it('reads yuan amounts as people type them, in exact fen', () => {
    assert.equal(parseAmountCell('1280000'), 128_000_000);
    assert.equal(parseAmountCell('1,280,000.00'), 128_000_000);
    assert.equal(parseAmountCell('¥1,280,000.5'), 128_000_050);
    assert.equal(parseAmountCell('128.5万'), 128_500_000);
    assert.equal(parseAmountCell('128.5 万元'), 128_500_000);
    assert.equal(parseAmountCell('0.01'), 1);
    assert.equal(parseAmountCell('12.345'), null, 'no fractions of a fen');
    assert.equal(parseAmountCell('-5'), null);
    assert.equal(parseAmountCell('abc'), null);
    assert.equal(parseAmountCell(''), null);
  });
});
