import type { ActivityType } from '../domain/activities.ts';

/** What the demo's activities, visit plans and reviews, tasks and deal checks say (src/demo/activities.ts). */
export const SUBJECTS: Record<ActivityType, readonly string[]> = {
  visit: ['季度业务回顾', '拜访采购部', '现场了解产线需求', '拜访设备部负责人', '送方案并听取意见'],
  call: ['电话确认需求', '电话跟进报价', '电话沟通交付时间', '回访使用情况'],
  meeting: ['项目启动会', '方案评审会', '商务谈判'],
  demo: ['产品演示', '样机现场演示'],
  technical_exchange: ['技术交流会', '与工艺部门技术交流'],
  email: ['发送报价单', '发送技术资料'],
  wechat: ['微信沟通进展', '微信发送案例'],
  event: ['行业展会接待', '客户参观工厂'],
};
export const OUTCOMES = [
  '客户认可方案方向',
  '需要补充技术参数',
  '约定下次拜访',
  '客户内部尚在评估',
  '拿到采购计划时间表',
];
export const OBJECTIVES = [
  '了解下季度采购计划',
  '让技术负责人认可方案',
  '确认预算和决策流程',
  '推动签署试用协议',
  '加深与采购总监的关系',
];
export const BENEFITS = ['每年节省约 8% 的能耗成本', '停机时间减少一半', '交付周期缩短两周', '减少备件库存占用资金'];
export const NEXT_STEPS = [
  '发送修订后的报价',
  '安排技术交流会',
  '提交试用方案',
  '约采购总监面谈',
  '整理客户反馈给售前',
];
export const TODAY_TASKS = [
  '给客户回电确认报价',
  '整理本周拜访记录',
  '准备明天的方案演示',
  '跟进合同审批进度',
  '更新商机阶段证据',
];
export const EVIDENCE = ['客户已确认预算并发出技术规格书', '采购总监同意进入商务谈判', '已完成样机测试，客户书面认可'];
