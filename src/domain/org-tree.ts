/** Materialised-path helpers for the org tree (SPEC §2: a tree of any depth). */

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
