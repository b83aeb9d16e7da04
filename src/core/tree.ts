// The process hierarchy of a snapshot. The one implementation (pid map, pid reuse, iterative walks) is
// browser-safe and shared with the webview: src/shared/processTree.ts.
import type { ProcessInfo } from './model';
import { buildProcessTree, type ProcessTree as SharedTree } from '../shared/processTree';

export { ancestors, descendants, descendantPids, flattenTree, isParentOf, walkPreorder } from '../shared/processTree';

export type ProcessTree = SharedTree<ProcessInfo>;

export function buildTree(processes: readonly ProcessInfo[]): ProcessTree {
  return buildProcessTree(processes);
}
