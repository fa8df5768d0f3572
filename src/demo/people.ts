import type { Random } from './random.ts';

/** Chinese names with their pinyin, for realistic demo users with readable email addresses. */
const SURNAMES: readonly [string, string][] = [
  ['王', 'wang'],
  ['李', 'li'],
  ['张', 'zhang'],
  ['刘', 'liu'],
  ['陈', 'chen'],
  ['杨', 'yang'],
  ['赵', 'zhao'],
  ['黄', 'huang'],
  ['周', 'zhou'],
  ['吴', 'wu'],
  ['徐', 'xu'],
  ['孙', 'sun'],
  ['胡', 'hu'],
  ['朱', 'zhu'],
  ['高', 'gao'],
  ['林', 'lin'],
  ['何', 'he'],
  ['郭', 'guo'],
  ['马', 'ma'],
  ['罗', 'luo'],
  ['梁', 'liang'],
  ['宋', 'song'],
  ['郑', 'zheng'],
  ['谢', 'xie'],
  ['韩', 'han'],
  ['唐', 'tang'],
  ['冯', 'feng'],
  ['于', 'yu'],
  ['董', 'dong'],
  ['萧', 'xiao'],
  ['程', 'cheng'],
  ['曹', 'cao'],
];
const GIVEN: readonly [string, string][] = [
  ['伟', 'wei'],
  ['芳', 'fang'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['强', 'qiang'],
  ['磊', 'lei'],
  ['军', 'jun'],
  ['洋', 'yang'],
  ['勇', 'yong'],
  ['艳', 'yan'],
  ['杰', 'jie'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['秀英', 'xiuying'],
  ['晓东', 'xiaodong'],
  ['海燕', 'haiyan'],
  ['建华', 'jianhua'],
  ['志强', 'zhiqiang'],
  ['丽娟', 'lijuan'],
  ['文博', 'wenbo'],
  ['思远', 'siyuan'],
  ['雪梅', 'xuemei'],
  ['国栋', 'guodong'],
  ['子涵', 'zihan'],
  ['浩然', 'haoran'],
  ['佳怡', 'jiayi'],
];

export interface Person {
  name: string;
  /** Local part of the email: pinyin given name dot surname, numbered when taken. */
  handle: string;
}

export class PeoplePicker {
  private readonly used = new Set<string>();
  private readonly rng: Random;

  constructor(rng: Random) {
    this.rng = rng;
  }

  reserve(handle: string): void {
    this.used.add(handle);
  }

  next(): Person {
    const [surname, sp] = this.rng.pick(SURNAMES);
    const [givenName, gp] = this.rng.pick(GIVEN);
    let handle = `${gp}.${sp}`;
    for (let i = 2; this.used.has(handle); i++) handle = `${gp}.${sp}${i}`;
    this.used.add(handle);
    return { name: surname + givenName, handle };
  }
}
