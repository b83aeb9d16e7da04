// Where the IPC graph's nodes and edges go: elkjs (layered), loaded on first use (its own bundle). Chosen by
// measurement (see bench/webview.bench.ts and docs/PERFORMANCE.md): elkjs layered with low thoroughness laid
// out 50 nodes in ~56 ms and 300 nodes in ~165 ms in Node; dagre took ~35 ms and ~1150 ms; elk's force and
// stress layouts took seconds at 300.
import type ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode, ElkExtendedEdge } from 'elkjs/lib/elk-api';
import { loadElk } from './elkLoader';
import type { Graph } from './ipcGraph';

export const NODE_W = 150;
const LABELLED_MAX = 120;
export const NODE_H = 36;

export interface Positioned {
  readonly width: number;
  readonly height: number;
  readonly nodes: Map<number, { x: number; y: number }>;
  readonly edges: Map<string, { points: { x: number; y: number }[]; label: { x: number; y: number; width: number } | null }>;
  readonly ms: number;
}

let elk: InstanceType<typeof ELK> | null = null;

export async function layoutGraph(graph: Graph): Promise<Positioned> {
  elk ??= new (await loadElk())();
  const started = performance.now();
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.thoroughness': '1',
      'elk.spacing.nodeNode': '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': '50',
      'elk.edgeRouting': 'POLYLINE',
    },
    children: graph.nodes.map((pid) => ({ id: `n${pid}`, width: NODE_W, height: NODE_H })),
    // Small graphs get their edge labels placed by ELK (no overlaps); above LABELLED_MAX nodes labels sit at
    // the edge midpoints, because label placement made the layout 3-4x slower in the measurement.
    edges: graph.edges.map((e): ElkExtendedEdge => ({
      id: e.id,
      sources: [`n${e.from}`],
      targets: [`n${e.to}`],
      ...(graph.nodes.length <= LABELLED_MAX
        ? { labels: [{ id: `${e.id}#label`, text: e.label, width: e.label.length * 6.2 + 6, height: 12 }] }
        : {}),
    })),
  };
  const out = await elk.layout(root);
  const nodes = new Map<number, { x: number; y: number }>();
  for (const c of out.children ?? []) nodes.set(Number(c.id.slice(1)), { x: c.x ?? 0, y: c.y ?? 0 });
  const edges = new Map<string, { points: { x: number; y: number }[]; label: { x: number; y: number; width: number } | null }>();
  for (const e of (out.edges ?? []) as ElkExtendedEdge[]) {
    const s = e.sections?.[0];
    const l = e.labels?.[0];
    const label = l && l.x !== undefined && l.y !== undefined ? { x: l.x, y: l.y, width: l.width ?? 0 } : null;
    if (s) edges.set(e.id, { points: [s.startPoint, ...(s.bendPoints ?? []), s.endPoint], label });
  }
  return { width: out.width ?? 0, height: out.height ?? 0, nodes, edges, ms: performance.now() - started };
}

export function midpoint(points: readonly { x: number; y: number }[]): { x: number; y: number } {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
  let half = total / 2;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (half <= len && len > 0) return { x: a.x + ((b.x - a.x) * half) / len, y: a.y + ((b.y - a.y) * half) / len };
    half -= len;
  }
  return points[0] ?? { x: 0, y: 0 };
}

export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
