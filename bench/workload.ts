/** Generated inputs and statistics shared by the benchmarks that drive a real server over HTTP. */
import { makeCreditCode } from '../src/domain/credit-code.ts';

const INDUSTRIES = ['制造业', '机械', '电子', '汽车', '能源', '化工'];
const PROVINCES = [
  ['江苏省', '苏州市'],
  ['浙江省', '杭州市'],
  ['广东省', '深圳市'],
  ['上海市', '上海市'],
  ['山东省', '青岛市'],
];

/** An accounts CSV of `rows` distinct companies, as a customer would export it from Excel (BOM, CRLF). */
export function generateAccountsCsv(rows: number, prefix = '压测导入客户', first = 0): Buffer {
  const lines = ['客户名称,统一社会信用代码,行业,省份,城市,地址,电话,状态,备注'];
  for (let i = first; i < first + rows; i++) {
    const [province, city] = PROVINCES[i % PROVINCES.length]!;
    const code = makeCreditCode(`9132${String(i).padStart(13, '0')}`);
    lines.push(
      `${prefix}${i}号精密制造有限公司,${code},${INDUSTRIES[i % INDUSTRIES.length]},${province},${city},${city}工业园区${i % 500}号,0512-${String(60000000 + i)},潜在客户,批量导入基准`,
    );
  }
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`);
}

/** The p-th percentile (nearest rank) of the samples. */
export const pct = (xs: number[], percentile: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((percentile / 100) * sorted.length))] ?? NaN;
};
