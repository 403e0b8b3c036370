/** The least a tree operation needs of a region. */
export interface TreeNode {
  id: number;
  name: string;
  parentId: number | null;
}

/** A node in tree order with its depth (0 for roots). */
export type Ordered<T extends TreeNode> = T & { depth: number };

const byName = (a: TreeNode, b: TreeNode) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id - b.id;

/**
 * Orders regions as a tree: roots by name, each followed by its children (by name), depth first.
 * A region whose parent is not in the list counts as a root.
 * @param nodes the regions.
 * @returns the regions in tree order with their depth.
 */
export function treeOrder<T extends TreeNode>(nodes: T[]): Ordered<T>[] {
  const ids = new Set(nodes.map((n) => n.id));
  const children = new Map<number | null, T[]>();
  for (const node of nodes) {
    const parent = node.parentId !== null && ids.has(node.parentId) ? node.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  const ordered: Ordered<T>[] = [];
  const visit = (parent: number | null, depth: number, seen: Set<number>) => {
    for (const node of (children.get(parent) ?? []).sort(byName)) {
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      ordered.push({ ...node, depth });
      visit(node.id, depth + 1, seen);
    }
  };
  visit(null, 0, new Set());
  return ordered;
}

/**
 * The ids of regions and all their descendants.
 * @param nodes every region of the org.
 * @param roots the starting region ids.
 * @returns the roots and their descendants.
 */
export function withDescendants(nodes: TreeNode[], roots: Iterable<number>): Set<number> {
  const children = new Map<number, number[]>();
  for (const node of nodes) if (node.parentId !== null) children.set(node.parentId, [...(children.get(node.parentId) ?? []), node.id]);
  const result = new Set<number>();
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop()!;
    if (result.has(id)) continue;
    result.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return result;
}

/**
 * Tells whether a parent assignment has a cycle (a region its own ancestor).
 * @param parents region id → parent id.
 * @returns true when some region reaches itself.
 */
export function hasCycle(parents: Map<number, number | null>): boolean {
  for (const start of parents.keys()) {
    const seen = new Set<number>([start]);
    let current = parents.get(start) ?? null;
    while (current !== null) {
      if (seen.has(current)) return true;
      seen.add(current);
      current = parents.get(current) ?? null;
    }
  }
  return false;
}
