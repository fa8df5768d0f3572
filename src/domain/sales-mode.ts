/**
 * Sales modes (销售模式, docs/organisation.md § Sales modes): a unit works by territory (井田制) or by
 * key account (大客户部). A unit without its own mode follows its parent; the top unit's default is
 * territory. Named accounts go to the key-account team (SPEC §2).
 */
export const SALES_MODES = ['territory', 'key_account'] as const;
export type SalesMode = (typeof SALES_MODES)[number];

export interface UnitMode {
  id: number;
  /** Materialised path of ids, "/1/4/9/". */
  path: string;
  salesMode: SalesMode | null;
  archived: boolean;
}

const idsOf = (path: string) => path.split('/').filter(Boolean).map(Number);

/** The unit's mode: its own, else the nearest ancestor's, else territory. */
export function effectiveMode(path: string, byId: ReadonlyMap<number, UnitMode>): SalesMode {
  const ids = idsOf(path);
  for (let i = ids.length - 1; i >= 0; i--) {
    const mode = byId.get(ids[i]!)?.salesMode;
    if (mode) return mode;
  }
  return 'territory';
}

/**
 * The key-account team for an account kept in the unit at `path`: the active unit working by key
 * account that is nearest in the tree — the one sharing the longest line of ancestors with it (the
 * branch's own 大客户部 before the group's), then the higher one (a team, not one of its sub-teams),
 * then the lower id; only teams `eligible` says may take it (within the caller's reach). Null when the unit already works by key account (the account is where it
 * belongs) or no unit does.
 */
export function keyAccountTeamFor(
  path: string,
  units: readonly UnitMode[],
  eligible: (unit: UnitMode) => boolean = () => true,
): UnitMode | null {
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  if (effectiveMode(path, byId) === 'key_account') return null;
  const own = idsOf(path);
  const shared = (other: string) => {
    const ids = idsOf(other);
    let common = 0;
    while (common < ids.length && common < own.length && ids[common] === own[common]) common++;
    return common;
  };
  const teams = units.filter(
    (unit) =>
      !unit.archived &&
      eligible(unit) &&
      effectiveMode(unit.path, byId) === 'key_account' &&
      // The top of a key-account branch: its parent does not already work by key account.
      (idsOf(unit.path).length === 1 || effectiveMode(unit.path.replace(/\d+\/$/, ''), byId) !== 'key_account'),
  );
  teams.sort((x, y) => shared(y.path) - shared(x.path) || idsOf(x.path).length - idsOf(y.path).length || x.id - y.id);
  return teams[0] ?? null;
}
