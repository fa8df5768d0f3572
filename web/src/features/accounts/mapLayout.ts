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

export function layoutOrgChart(nodes: readonly { id: number; reportsToId: number | null }[]): { placed: Placed[]; width: number; depth: number } {
  const ids = new Set(nodes.map((n) => n.id));
  const kids = new Map<number, number[]>();
  const roots: number[] = [];
  for (const n of nodes) {
    if (n.reportsToId !== null && ids.has(n.reportsToId) && n.reportsToId !== n.id) {
      const list = kids.get(n.reportsToId) ?? [];
      list.push(n.id);
      kids.set(n.reportsToId, list);
    } else roots.push(n.id);
  }
  const placed = new Map<number, Placed>();
  let maxDepth = 0;

  function place(id: number, depth: number, xStart: number): number {
    if (placed.has(id)) return 0; // a loop in bad data: draw each contact once
    placed.set(id, { id, x: xStart + 0.5, y: depth });
    maxDepth = Math.max(maxDepth, depth);
    const children = (kids.get(id) ?? []).filter((c) => !placed.has(c));
    if (children.length === 0) return 1;
    if (children.length > GRID_COLUMNS && children.every((c) => !(kids.get(c)?.length))) {
      children.forEach((c, i) => {
        const row = Math.floor(i / GRID_COLUMNS);
        placed.set(c, { id: c, x: xStart + (i % GRID_COLUMNS) + 0.5, y: depth + 1 + row });
        maxDepth = Math.max(maxDepth, depth + 1 + row);
      });
      placed.set(id, { id, x: xStart + GRID_COLUMNS / 2, y: depth });
      return GRID_COLUMNS;
    }
    let x = xStart;
    const xs: number[] = [];
    for (const c of children) {
      const w = place(c, depth + 1, x);
      if (w > 0) xs.push(placed.get(c)!.x);
      x += w;
    }
    placed.set(id, { id, x: xs.length ? (xs[0]! + xs[xs.length - 1]!) / 2 : xStart + 0.5, y: depth });
    return Math.max(1, x - xStart);
  }

  let x = 0;
  for (const r of roots) x += place(r, 0, x);
  // Contacts only reachable through a loop (cannot happen through the API, which refuses cycles).
  for (const n of nodes) if (!placed.has(n.id)) x += place(n.id, 0, x);
  return { placed: [...placed.values()], width: Math.max(1, x), depth: maxDepth };
}
