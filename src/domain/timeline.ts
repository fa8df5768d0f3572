/**
 * The kinds of event on an account's or opportunity's activity timeline (docs/archive.md, §5.2),
 * and the groups a reader filters by. The web app takes both from here.
 */
export const TIMELINE_KINDS = [
  'account_created',
  'account_changed',
  'contact_added',
  'opportunity_created',
  'stage_moved',
  'opportunity_closed',
  'opportunity_changed',
  'review',
  'file_added',
  'activity',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const TIMELINE_GROUPS = {
  account: ['account_created', 'account_changed', 'contact_added'],
  deals: ['opportunity_created', 'opportunity_closed', 'opportunity_changed'],
  stages: ['stage_moved'],
  reviews: ['review'],
  files: ['file_added'],
  activities: ['activity'],
} as const satisfies Record<string, readonly TimelineKind[]>;
export type TimelineGroup = keyof typeof TIMELINE_GROUPS;
export const TIMELINE_GROUP_NAMES = Object.keys(TIMELINE_GROUPS) as TimelineGroup[];

/** Record fields whose values are user ids, shown as names. */
export const USER_VALUED_FIELDS = ['owner', 'team'] as const;
