// Lays a lineage graph out in columns by depth (the root first), each node with the links that reach it:
// what the lot page draws, upstream to the left of the root and downstream to the right.
export interface GraphNode {
  key: string;
  kind: string;
  depth: number;
  carrier: boolean;
}
export interface GraphEdge {
  from: string;
  to: string;
  relation: string;
}

export interface Column {
  depth: number;
  nodes: { key: string; label: string; kind: string; via: string[] }[];
}

/** `…/01/<gtin>/10/<lot>` → `<lot> · <gtin>`; other identifiers as they are. */
export function labelOf(key: string): string {
  const m = /\/01\/(\d{14})(?:\/10\/([^/]+))?(?:\/21\/([^/]+))?/.exec(key);
  if (!m) return key;
  const [, gtin, lot, serial] = m;
  if (serial) return `#${decodeURIComponent(serial)} · ${gtin}`;
  return lot ? `${decodeURIComponent(lot)} · ${gtin}` : `GTIN ${gtin}`;
}

export function columnsOf(
  graph: { nodes: GraphNode[]; edges: GraphEdge[] },
  direction: 'upstream' | 'downstream',
): Column[] {
  const byDepth = new Map<number, Column>();
  for (const node of graph.nodes) {
    if (node.carrier) continue;
    const via = graph.edges
      .filter((e) => (direction === 'upstream' ? e.from === node.key : e.to === node.key))
      .map((e) => e.relation);
    const column = byDepth.get(node.depth) ?? { depth: node.depth, nodes: [] };
    column.nodes.push({ key: node.key, label: labelOf(node.key), kind: node.kind, via: [...new Set(via)] });
    byDepth.set(node.depth, column);
  }
  const columns = [...byDepth.values()].sort((a, b) => a.depth - b.depth);
  for (const c of columns) c.nodes.sort((a, b) => a.label.localeCompare(b.label));
  return direction === 'upstream' ? columns.reverse() : columns;
}
