import type { OrgUnit } from '../../api/types.ts';

export interface UnitNode {
  unit: OrgUnit;
  children: UnitNode[];
}

/** The flat, path-ordered list from the API as a forest (roots: units whose parent is not in the list). */
export function buildTree(units: OrgUnit[], collator: Intl.Collator): UnitNode[] {
  const nodes = new Map<number, UnitNode>(units.map((u) => [u.id, { unit: u, children: [] }]));
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId === null ? undefined : nodes.get(node.unit.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: UnitNode[]) => {
    list.sort((a, b) => a.unit.sortOrder - b.unit.sortOrder || collator.compare(a.unit.name, b.unit.name));
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

/** Ids of a unit and everything below it (a unit cannot move under any of these). */
export function subtreeIds(units: OrgUnit[], id: number): Set<number> {
  const marker = `/${id}/`;
  return new Set(units.filter((u) => u.path.includes(marker)).map((u) => u.id));
}

/** Total active members of each unit including its sub-units. */
export function rollUpMembers(units: OrgUnit[]): Map<number, number> {
  const totals = new Map<number, number>();
  for (const unit of units) {
    if (unit.archived) continue;
    for (const id of unit.path.split('/').filter(Boolean).map(Number)) {
      totals.set(id, (totals.get(id) ?? 0) + (unit.memberCount ?? 0));
    }
  }
  return totals;
}
