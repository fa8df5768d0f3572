import { useEffect } from 'react';
import { useSession } from '../auth/session.ts';
import type { ProcessSummary } from './types.ts';

/** The board's process: one process's id, or every process at once. */
export type BoardChoice = number | 'all';

/** In the address: `?processId=<id>` names one process, `?processId=all` every one. */
export const ALL_PROCESSES = 'all';

/**
 * Which process the board shows (docs/sales-process.md § The board): the address wins when it
 * names one; else the one this user last chose in this workspace, remembered in the browser
 * (there is no server-side preference store) while it still exists; else the process holding
 * most of the caller's open deals (a rep's 15 large projects, not 1 small one).
 */
export function useBoardChoice(named: BoardChoice | undefined, processes: ProcessSummary[] | undefined) {
  const me = useSession();
  const key = `keyline.board.process.${me.workspace.id}.${me.user.id}`;
  const known = (choice: BoardChoice | undefined): choice is BoardChoice =>
    choice === ALL_PROCESSES || (choice !== undefined && !!processes?.some((p) => p.id === choice));
  // What the address names is what the user chose last: the picker writes it there, and a link
  // followed to a process's board is a choice too.
  useEffect(() => {
    if (named !== undefined && known(named)) localStorage.setItem(key, String(named));
  });
  if (named !== undefined) return named;
  const stored = parseChoice(localStorage.getItem(key));
  if (known(stored)) return stored;
  return busiest(processes);
}

export function parseChoice(raw: string | null | undefined): BoardChoice | undefined {
  if (raw === ALL_PROCESSES) return ALL_PROCESSES;
  const id = Number(raw);
  return raw && Number.isInteger(id) && id > 0 ? id : undefined;
}

function busiest(list: ProcessSummary[] | undefined): number | undefined {
  const active = (list ?? []).filter((p) => p.active);
  return [...active].sort((a, b) => b.openOpportunities - a.openOpportunities)[0]?.id ?? list?.[0]?.id;
}
