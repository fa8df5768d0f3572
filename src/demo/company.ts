import type { OrgUnitType, Role } from '../domain/roles.ts';
import { PeoplePicker } from './people.ts';
import { Random } from './random.ts';

/**
 * The demo company (README § Demo sign-ins): a Chinese maker of industrial automation
 * equipment and software selling to manufacturers through long projects. Generated from a
 * seed, so every machine gets the same company; `scale` multiplies the sales force (and,
 * as later areas extend this, the accounts and opportunities) for benchmark-sized data.
 */
export const DEMO_DOMAIN = 'demo.keyline.dev';
export const DEMO_PASSWORD = 'keyline-demo';
export const DEMO_WORKSPACE = '华锐智造集团';

export interface DemoUnit {
  key: string;
  name: string;
  type: OrgUnitType;
  parent: string | null;
}

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  unit: string;
  title: string;
  phone: string;
}

export interface DemoCompany {
  units: DemoUnit[];
  users: DemoUser[];
}

/** The documented sign-ins, one per role (README). */
export const DEMO_SIGN_INS: readonly { email: string; role: Role; name: string; title: string; unit: string }[] = [
  { email: `admin@${DEMO_DOMAIN}`, role: 'admin', name: '周敏', title: '系统管理员', unit: 'root' },
  { email: `director@${DEMO_DOMAIN}`, role: 'executive', name: '陈建华', title: '销售副总裁', unit: 'root' },
  { email: `manager@${DEMO_DOMAIN}`, role: 'manager', name: '李志强', title: '上海分公司总经理', unit: 'sh' },
  { email: `rep@${DEMO_DOMAIN}`, role: 'rep', name: '王芳', title: '客户经理', unit: 'sh-1' },
  { email: `presales@${DEMO_DOMAIN}`, role: 'presales', name: '张伟', title: '售前工程师', unit: 'sh' },
  { email: `auditor@${DEMO_DOMAIN}`, role: 'auditor', name: '林雪梅', title: '回访专员', unit: 'service' },
  { email: `finance@${DEMO_DOMAIN}`, role: 'finance', name: '赵丽娟', title: '财务主管', unit: 'finance' },
];

interface BranchPlan {
  key: string;
  name: string;
  depts: [key: string, name: string][];
}

const REGIONS: { key: string; name: string; branches: BranchPlan[] }[] = [
  {
    key: 'east',
    name: '华东大区',
    branches: [
      {
        key: 'sh',
        name: '上海分公司',
        depts: [
          ['sh-1', '销售一部'],
          ['sh-2', '销售二部'],
          ['sh-ka', '大客户部'],
        ],
      },
      { key: 'hz', name: '杭州分公司', depts: [['hz-1', '销售部']] },
      { key: 'nj', name: '南京分公司', depts: [['nj-1', '销售部']] },
    ],
  },
  {
    key: 'south',
    name: '华南大区',
    branches: [
      {
        key: 'gz',
        name: '广州分公司',
        depts: [
          ['gz-1', '销售部'],
          ['gz-ka', '大客户部'],
        ],
      },
      { key: 'sz', name: '深圳分公司', depts: [['sz-1', '销售部']] },
    ],
  },
  {
    key: 'north',
    name: '华北大区',
    branches: [
      {
        key: 'bj',
        name: '北京分公司',
        depts: [
          ['bj-1', '销售一部'],
          ['bj-ka', '大客户部'],
        ],
      },
      { key: 'tj', name: '天津分公司', depts: [['tj-1', '销售部']] },
    ],
  },
];

export function generateDemoCompany(opts: { seed?: number; scale?: number } = {}): DemoCompany {
  const rng = new Random(opts.seed ?? 20261124);
  const scale = Math.max(0.1, opts.scale ?? 1);
  const people = new PeoplePicker(rng);
  for (const demoSignIn of DEMO_SIGN_INS) people.reserve(demoSignIn.email.split('@')[0]!);
  const phone = () =>
    `1${rng.pick(['35', '38', '39', '58', '86', '88'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;

  const units: DemoUnit[] = [{ key: 'root', name: DEMO_WORKSPACE, type: 'group', parent: null }];
  const users: DemoUser[] = DEMO_SIGN_INS.map((demoSignIn) => ({
    email: demoSignIn.email,
    name: demoSignIn.name,
    role: demoSignIn.role,
    unit: demoSignIn.unit,
    title: demoSignIn.title,
    phone: phone(),
  }));
  const add = (role: Role, unit: string, title: string) => {
    const person = people.next();
    users.push({ email: `${person.handle}@${DEMO_DOMAIN}`, name: person.name, role, unit, title, phone: phone() });
  };

  units.push({ key: 'ka-hq', name: '集团大客户部', type: 'department', parent: 'root' });
  units.push({ key: 'service', name: '客户服务中心', type: 'department', parent: 'root' });
  units.push({ key: 'finance', name: '财务部', type: 'department', parent: 'root' });
  add('manager', 'ka-hq', '大客户部总监');
  for (let i = 0; i < Math.max(1, Math.round(2 * scale)); i++) add('rep', 'ka-hq', '大客户经理');

  for (const region of REGIONS) {
    units.push({ key: region.key, name: region.name, type: 'region', parent: 'root' });
    add('manager', region.key, `${region.name}总经理`);
    add('presales', region.key, '解决方案顾问');
    for (const branch of region.branches) {
      units.push({ key: branch.key, name: branch.name, type: 'branch', parent: region.key });
      if (branch.key !== 'sh') add('manager', branch.key, `${branch.name}总经理`);
      for (const [key, name] of branch.depts) {
        units.push({ key, name, type: 'department', parent: branch.key });
        const reps = Math.max(1, Math.round(scale));
        for (let i = 0; i < reps; i++) add('rep', key, key.endsWith('-ka') ? '大客户经理' : '客户经理');
      }
    }
  }
  return { units, users };
}
