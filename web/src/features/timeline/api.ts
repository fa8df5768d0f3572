import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { accountKeys } from '../accounts/api.ts';
import { oppKeys } from '../opportunities/api.ts';
import type { TimelineEvent, TimelinePage } from '../../../../src/contracts/timeline.ts';
import type { TimelineGroup } from '../../../../src/domain/timeline.ts';

export type { TimelineEvent };

export type TimelineOf = { accountId: number } | { opportunityId: number };

export const TIMELINE_PAGE = 30;

export const timelineQueries = {
  /**
   * Pages of the timeline, newest first. The key sits under the record's own key family, so
   * whatever refreshes the account or opportunity (a move, a review, a new contact) refreshes it.
   */
  events: (of: TimelineOf, groups: readonly TimelineGroup[]) => {
    const path =
      'accountId' in of ? `/accounts/${of.accountId}/timeline` : `/opportunities/${of.opportunityId}/timeline`;
    return infiniteQueryOptions({
      queryKey:
        'accountId' in of ? accountKeys.timeline(of.accountId, groups) : oppKeys.timeline(of.opportunityId, groups),
      initialPageParam: 0,
      queryFn: ({ pageParam, signal }) =>
        api.get<TimelinePage>(path, { limit: TIMELINE_PAGE, offset: pageParam, groups: groups.join(',') }, { signal }),
      getNextPageParam: (last, pages) => {
        const loaded = pages.reduce((n, p) => n + p.items.length, 0);
        return loaded < last.total ? loaded : undefined;
      },
    });
  },
};

export const useTimeline = (of: TimelineOf, groups: readonly TimelineGroup[]) =>
  useInfiniteQuery(timelineQueries.events(of, groups));
