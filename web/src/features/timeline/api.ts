import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import type { TimelineGroup, TimelineKind } from '../../../../src/domain/timeline.ts';

/** One event of GET /accounts/{id}/timeline or /opportunities/{id}/timeline (see its OpenAPI schema). */
export interface TimelineEvent {
  id: string;
  kind: TimelineKind;
  at: number;
  actorId: number | null;
  actorName: string | null;
  opportunityId: number | null;
  opportunityName: string | null;
  subject: string | null;
  field: string | null;
  from: string | null;
  to: string | null;
  reason: string | null;
  detail: string | null;
  amount: number | null;
  probability: number | null;
  direction: string | null;
  evidenceCount: number | null;
}

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
