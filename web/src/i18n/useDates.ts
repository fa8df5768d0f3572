import { useMemo } from 'react';
import { useSession } from '../features/auth/session.ts';
import { datesIn, type WorkspaceDates } from './dates.ts';

/** Dates and times in the signed-in workspace's zone (web/src/i18n/dates.ts): the one way pages show or pick them. */
export function useDates(): WorkspaceDates {
  const timeZone = useSession().workspace.timeZone;
  return useMemo(() => datesIn(timeZone), [timeZone]);
}
