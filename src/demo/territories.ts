import type { Industry } from '../domain/accounts.ts';
import type { DemoCompany, DemoUser } from './company.ts';

/**
 * The demo's territories (井田, docs/organisation.md), pure data: load-company.ts writes them. The East region
 * divides Shanghai by industry among its departments (the key-account department takes
 * energy), gives Suzhou to the Shanghai branch and the rest of Jiangsu and Zhejiang to
 * their own branches; South and North go by city or province.
 *
 * One conflict is deliberate, for the conflicts view to show: Suzhou belongs to the Shanghai
 * rep by city, while Nanjing holds Jiangsu electronics — equally specific, so a new Suzhou
 * electronics account names two reps and is refused until someone decides.
 */
export interface DemoTerritory {
  name: string;
  province: string;
  city: string | null;
  industry: Industry | null;
  rep: DemoUser;
}

export function demoTerritories(company: DemoCompany): DemoTerritory[] {
  // The n-th rep of a department (the sign-in rep 王芳 is the first of sh-1); the first when there are fewer.
  const rep = (unit: string, index = 0): DemoUser => {
    const reps = company.users.filter((u) => u.role === 'rep' && u.unit === unit);
    const rep = reps[index] ?? reps[0];
    if (!rep) throw new Error(`the demo company has no rep in ${unit}`);
    return rep;
  };
  const rule = (
    name: string,
    province: string,
    city: string | null,
    industry: Industry | null,
    who: DemoUser,
  ): DemoTerritory => ({ name, province, city, industry, rep: who });
  return [
    rule('上海·电子', '上海市', null, 'electronics', rep('sh-1')),
    rule('上海·汽车', '上海市', null, 'automotive', rep('sh-1', 1)),
    rule('上海·制造', '上海市', null, 'manufacturing', rep('sh-2')),
    rule('上海·机械', '上海市', null, 'machinery', rep('sh-2')),
    rule('上海·能源大客户', '上海市', null, 'energy', rep('sh-ka')),
    rule('上海·其他行业', '上海市', null, null, rep('sh-2')),
    rule('苏州', '江苏省', '苏州市', null, rep('sh-1')),
    rule('江苏', '江苏省', null, null, rep('nj-1')),
    rule('江苏·电子', '江苏省', null, 'electronics', rep('nj-1')),
    rule('浙江', '浙江省', null, null, rep('hz-1')),
    rule('广州', '广东省', '广州市', null, rep('gz-1')),
    rule('佛山', '广东省', '佛山市', null, rep('gz-1')),
    rule('深圳', '广东省', '深圳市', null, rep('sz-1')),
    rule('东莞', '广东省', '东莞市', null, rep('sz-1')),
    rule('北京', '北京市', null, null, rep('bj-1')),
    rule('河北', '河北省', null, null, rep('bj-1')),
    rule('天津', '天津市', null, null, rep('tj-1')),
  ];
}
