import type { bulkZhCN } from './messages.zh-CN.ts';

/** English strings of the bulk actions; the same keys as messages.zh-CN.ts. */
export const bulkEnUS: Record<keyof typeof bulkZhCN, string> = {
  'bulk.selected': '{n, plural, one {# row selected} other {# rows selected}}',
  'bulk.selectedCapped': '{n, plural, one {# row selected} other {# rows selected}} (at most {max} at once)',
  'bulk.clear': 'Clear selection',
  'bulk.selectAllMatching': 'Select all {n} matching',
  'bulk.selectAllMatchingCapped': 'Select all matching (more than {n})',
  'bulk.allMatching': 'All {n} matching rows selected',
  'bulk.allMatchingCapped': 'All matching rows selected (more than {n})',
  'bulk.matchTooMany':
    'Changes apply to at most {max, plural, one {# row} other {# rows}} at once: narrow the filter to reassign or change tiers; the export takes them all.',
  'bulk.matchTooManyPool':
    'Claims and assignments take at most {max, plural, one {# account} other {# accounts}} at once: narrow the filter; the export takes them all.',
  'bulk.done.exportAll': 'Exporting every matching row',
  'bulk.reassign': 'Reassign',
  'bulk.tier': 'Change tier',
  'bulk.claim': 'Claim',
  'bulk.export': 'Export selection',
  'bulk.reassign.titleAccounts': 'Reassign {n, plural, one {# account} other {# accounts}}',
  'bulk.reassign.titleOpps': 'Reassign {n, plural, one {# opportunity} other {# opportunities}}',
  'bulk.reassign.hint':
    "The selected rows go to one owner; the reason is kept in each record's history and in the audit log. Either every row can change or none does.",
  'bulk.reassign.to': 'New owner',
  'bulk.reassign.choose': 'Choose a rep or manager within your reach',
  'bulk.reassign.ok': 'Reassign',
  'bulk.reason': 'Reason',
  'bulk.reasonPlaceholder': 'e.g. territory change, staff change',
  'bulk.tier.title': 'Change the tier of {n, plural, one {# account} other {# accounts}}',
  'bulk.tier.hint':
    'A tier set by hand overrides the one computed from purchases, and the reason is kept in the history; "Back to the computed tier" removes the override.',
  'bulk.tier.to': 'Tier',
  'bulk.tier.clear': 'Back to the computed tier',
  'bulk.tier.ok': 'Change tier',
  'bulk.claim.title': 'Claim {n, plural, one {# pool account} other {# pool accounts}}?',
  'bulk.claim.hint': 'You become their owner; {left, plural, one {# claim} other {# claims}} left afterwards.',
  'bulk.claim.overLimit':
    'You can claim {remaining, plural, one {# more account} other {# more accounts}} and selected {n}: select fewer.',
  'bulk.claim.ok': 'Claim',
  'bulk.assign': 'Assign',
  'bulk.assign.title': 'Assign {n, plural, one {# pool account} other {# pool accounts}}',
  'bulk.assign.hint':
    "The selected accounts leave the pool for one owner and count against that person's claim limit; the reason is kept in the pool log and the audit log. Either every account can go or none does.",
  'bulk.assign.ok': 'Assign',
  'bulk.done.assign': '{updated, plural, one {# pool account} other {# pool accounts}} assigned',
  'bulk.done.reassignAccounts':
    '{updated, plural, one {# account} other {# accounts}} reassigned ({n} selected; the others already had that owner)',
  'bulk.done.reassignOpps':
    '{updated, plural, one {# opportunity} other {# opportunities}} reassigned ({n} selected; the others already had that owner)',
  'bulk.done.tier':
    'Tier changed on {updated, plural, one {# account} other {# accounts}} ({n} selected; the others already had it)',
  'bulk.done.claim': '{updated, plural, one {# account is} other {# accounts are}} now yours',
  'bulk.done.export': 'Exporting {n, plural, one {# selected row} other {# selected rows}}',
  'bulk.failed.title': 'Nothing was changed: {n, plural, one {# row cannot} other {# rows cannot}} be changed',
  'bulk.failed.limit':
    'Nothing was changed: the limit is {limit} private accounts, you hold {held}, and the {n} selected are more than you can claim.',
  'bulk.failed.deselect': 'Deselect these rows',
  'bulk.why.forbidden': 'you may not change it',
  'bulk.why.closed': 'the opportunity is closed',
  'bulk.why.archived': 'archived',
  'bulk.why.in_pool': 'in the pool (assign it from the pool)',
  'bulk.why.not_in_pool': 'no longer in the pool (someone may have just claimed it)',
  'bulk.why.not_found': 'no longer within your reach',
};
