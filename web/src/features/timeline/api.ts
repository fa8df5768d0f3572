import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import type { TimelineEvent, TimelineGroup } from '../../../../src/domain/timeline.ts';

export type { TimelineEvent };

export type TimelineOf = { accountId: number } | { opportunityId: number };

export const TIMELINE_PAGE = 30;

/**
 * Pages of the timeline, newest first. The key sits under the record's own key family, so
 * whatever refreshes the account or opportunity (a move, a review, a new contact) refreshes it.
 */
export function useTimeline(of: TimelineOf, groups: readonly TimelineGroup[]) {
  const path = 'accountId' in of ? `/accounts/${of.accountId}/timeline` : `/opportunities/${of.opportunityId}/timeline`;
  const key = 'accountId' in of ? ['accounts', 'detail', of.accountId, 'timeline', groups] : ['opportunities', 'detail', of.opportunityId, 'timeline', groups];
  return useInfiniteQuery({
    queryKey: key,
    initialPageParam: 0,
    queryFn: ({ pageParam, signal }) => api.get<Page<TimelineEvent>>(path, { limit: TIMELINE_PAGE, offset: pageParam, groups: groups.join(',') }, { signal }),
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.items.length, 0);
      return loaded < last.total ? loaded : undefined;
    },
  });
}
