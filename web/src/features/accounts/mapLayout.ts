/**
 * Positions for the relationship map's org chart (渔网图, docs/archive.md § Buying roles): a tidy top-down tree by
 * reports-to, in slot units. A manager with many direct reports who have no reports of
 * their own gets them in a grid of rows, so a flat team of 30 stays readable.
 */
export interface Placed {
  id: number;
  x: number;
  y: number;
}

const GRID_COLUMNS = 4;

export function layoutOrgChart(nodes: readonly { id: number; reportsToId: number | null }[]): {
  placed: Placed[];
  width: number;
  depth: number;
} {
  const ids = new Set(nodes.map((n) => n.id));
  const kids = new Map<number, number[]>();
  const roots: number[] = [];
  for (const node of nodes) {
    if (node.reportsToId !== null && ids.has(node.reportsToId) && node.reportsToId !== node.id) {
      const list = kids.get(node.reportsToId) ?? [];
      list.push(node.id);
      kids.set(node.reportsToId, list);
    } else roots.push(node.id);
  }
  const placed = new Map<number, Placed>();
  let maxDepth = 0;

  function place(id: number, depth: number, xStart: number): number {
    if (placed.has(id)) return 0; // a loop in bad data: draw each contact once
    placed.set(id, { id, x: xStart + 0.5, y: depth });
    maxDepth = Math.max(maxDepth, depth);
    const children = (kids.get(id) ?? []).filter((c) => !placed.has(c));
    if (children.length === 0) return 1;
    if (children.length > GRID_COLUMNS && children.every((c) => !kids.get(c)?.length)) {
      children.forEach((child, index) => {
        const row = Math.floor(index / GRID_COLUMNS);
        placed.set(child, { id: child, x: xStart + (index % GRID_COLUMNS) + 0.5, y: depth + 1 + row });
        maxDepth = Math.max(maxDepth, depth + 1 + row);
      });
      placed.set(id, { id, x: xStart + GRID_COLUMNS / 2, y: depth });
      return GRID_COLUMNS;
    }
    let childX = xStart;
    const xs: number[] = [];
    for (const child of children) {
      const width = place(child, depth + 1, childX);
      if (width > 0) xs.push(placed.get(child)!.x);
      childX += width;
    }
    placed.set(id, { id, x: xs.length ? (xs[0]! + xs[xs.length - 1]!) / 2 : xStart + 0.5, y: depth });
    return Math.max(1, childX - xStart);
  }

  let rootX = 0;
  for (const root of roots) rootX += place(root, 0, rootX);
  // Contacts only reachable through a loop (cannot happen through the API, which refuses cycles).
  for (const node of nodes) if (!placed.has(node.id)) rootX += place(node.id, 0, rootX);
  return { placed: [...placed.values()], width: Math.max(1, rootX), depth: maxDepth };
}
