/** Materialised-path helpers for the org tree (docs/organisation.md: a tree of any depth). */

export function childPath(parentPath: string | null, id: number): string {
  return `${parentPath ?? '/'}${id}/`;
}

export function isSameOrDescendant(path: string, ancestorPath: string): boolean {
  return path.startsWith(ancestorPath);
}

export function depthOf(path: string): number {
  return path.split('/').filter(Boolean).length;
}

/** Ids on the path from the root down to and including the unit. */
export function idsOnPath(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

export interface TreeNode<T> {
  item: T;
  children: TreeNode<T>[];
}

/** Builds a forest from flat rows ordered anyhow; orphans (parent not in the list) become roots. */
export function buildTree<T extends { id: number; parentId: number | null; sortOrder: number; name: string }>(
  rows: readonly T[],
): TreeNode<T>[] {
  const nodes = new Map<number, TreeNode<T>>(rows.map((r) => [r.id, { item: r, children: [] }]));
  const roots: TreeNode<T>[] = [];
  for (const node of nodes.values()) {
    const parent = node.item.parentId === null ? undefined : nodes.get(node.item.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: TreeNode<T>[]) => {
    list.sort((a, b) => a.item.sortOrder - b.item.sortOrder || a.item.name.localeCompare(b.item.name, 'zh-CN'));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

export interface UnitNaming {
  /** Names from the top unit down to the unit. */
  path: string[];
  /** The shortest tail of the path no other active unit shares, joined by " / ": "上海分公司 / 销售一部". */
  label: string;
}

/**
 * Names units so a list tells them apart: many branches have a "销售一部", so the unit alone
 * is ambiguous. Each unit gets the fewest trailing path names that no other active unit of
 * the workspace ends with — the label stays the same on every page and filter. `units` is
 * the whole workspace (archived ones too, for their names); ids not among them are left out.
 */
export function nameUnits(
  units: readonly { id: number; name: string; path: string; archived: boolean }[],
  ids: Iterable<number>,
): Map<number, UnitNaming> {
  const nameOf = new Map(units.map((u) => [u.id, u.name]));
  const namesOf = (path: string) => idsOnPath(path).flatMap((id) => nameOf.get(id) ?? []);
  const key = (names: string[], d: number) => names.slice(-d).join('\u0000');
  const byId = new Map(units.map((u) => [u.id, u]));
  // Every tail ends with the unit's own name: only units named like a requested one can share
  // one (naming the one unit of /auth/me no longer walks every unit's path).
  const wanted = [...ids];
  const asked = new Set<string>();
  for (const id of wanted) {
    const unit = byId.get(id);
    if (unit) asked.add(unit.name);
  }
  const tails = new Map<string, number>();
  for (const unit of units) {
    if (unit.archived || !asked.has(unit.name)) continue;
    const names = namesOf(unit.path);
    for (let depth = 1; depth <= names.length; depth++)
      tails.set(key(names, depth), (tails.get(key(names, depth)) ?? 0) + 1);
  }
  const result = new Map<number, UnitNaming>();
  for (const id of wanted) {
    const unit = byId.get(id);
    if (!unit || result.has(id)) continue;
    const names = namesOf(unit.path);
    const own = unit.archived ? 0 : 1;
    let depth = 1;
    while (depth < names.length && (tails.get(key(names, depth)) ?? 0) > own) depth++;
    result.set(id, { path: names, label: names.slice(-depth).join(' / ') });
  }
  return result;
}
