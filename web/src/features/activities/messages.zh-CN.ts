/** Chinese strings of the activities area (docs/rhythm.md). */
export const activitiesZhCN = {
  'activities.type.visit': '拜访',
  'activities.type.call': '电话',
  'activities.type.meeting': '会议',
  'activities.type.demo': '演示',
  'activities.type.technical_exchange': '技术交流',
  'activities.type.email': '邮件',
  'activities.type.wechat': '微信',
  'activities.type.event': '活动',
  'activities.status.planned': '计划',
  'activities.status.done': '已完成',
  'activities.status.cancelled': '已取消',
} as const;
