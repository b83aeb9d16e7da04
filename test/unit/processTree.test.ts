// The shared process tree: pid map order, pid reuse, cycles, and walks that do not recurse.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  ancestors,
  buildProcessTree,
  descendantPids,
  descendants,
  flattenTree,
  isParentOf,
  walkPreorder,
  type TreeNode,
} from '../../src/shared/processTree';

interface P extends TreeNode {
  readonly pid: number;
  readonly ppid: number;
  readonly startTime?: number;
}
const p = (pid: number, ppid: number, startTime?: number): P => (startTime === undefined ? { pid, ppid } : { pid, ppid, startTime });

/** "pid(depth)" in pre-order: the whole shape in one comparable string. */
function shape(nodes: readonly P[]): string {
  return flattenTree(buildProcessTree(nodes))
    .map((s) => `${s.node.pid}(${s.depth})`)
    .join(' ');
}

describe('buildProcessTree', () => {
  const cases: { name: string; nodes: P[]; expect: string; roots: number[] }[] = [
    {
      name: 'parents listed after their children (pid wrap-around)',
      nodes: [p(5, 30000), p(30000, 1), p(1, 0), p(7, 5)],
      expect: '1(0) 30000(1) 5(2) 7(3)',
      roots: [1],
    },
    {
      name: 'siblings ordered by pid whatever the input order',
      nodes: [p(9, 1), p(3, 1), p(1, 0), p(6, 1)],
      expect: '1(0) 3(1) 6(1) 9(1)',
      roots: [1],
    },
    {
      name: 'a parent that started after its child is a reused pid: the child is a root',
      nodes: [p(1, 0, 1), p(50, 1, 10), p(60, 50, 5)],
      expect: '1(0) 50(1) 60(0)',
      roots: [1, 60],
    },
    {
      name: 'a parent that started in the same tick is the parent',
      nodes: [p(1, 0, 1), p(50, 1, 10), p(60, 50, 10)],
      expect: '1(0) 50(1) 60(2)',
      roots: [1],
    },
    {
      name: 'an unknown start time (0 from the portable backend) does not break the link',
      nodes: [p(1, 0, 0), p(50, 1, 0), p(60, 50, 5)],
      expect: '1(0) 50(1) 60(2)',
      roots: [1],
    },
    {
      name: 'a process whose parent is not in the set is a root',
      nodes: [p(40, 39), p(41, 40), p(100, 2)],
      expect: '40(0) 41(1) 100(0)',
      roots: [40, 100],
    },
    { name: 'a process that names itself as parent is a root', nodes: [p(8, 8), p(9, 8)], expect: '8(0) 9(1)', roots: [8] },
    {
      name: 'a ppid cycle is broken at its lowest pid and every member shown once',
      nodes: [p(12, 11), p(10, 12), p(11, 10)],
      expect: '10(0) 11(1) 12(2)',
      roots: [10],
    },
    {
      name: 'a cycle hanging below nothing, next to a normal tree',
      nodes: [p(1, 0), p(2, 1), p(20, 21), p(21, 20)],
      expect: '1(0) 2(1) 20(0) 21(1)',
      roots: [1, 20],
    },
    { name: 'empty', nodes: [], expect: '', roots: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(shape(c.nodes), c.expect);
      assert.deepEqual(
        buildProcessTree(c.nodes).roots.map((r) => r.pid),
        c.roots,
      );
    });
  }

  it("files an exited row that is not its pid's live process at the top level (byPid option)", () => {
    const parent = p(1, 0, 1);
    const exited = p(70, 1, 5);
    const reused = p(70, 1, 90);
    const child = p(71, 70, 95);
    const tree = buildProcessTree([parent, exited, reused, child], {
      byPid: new Map([
        [1, parent],
        [70, reused],
        [71, child],
      ]),
    });
    assert.deepEqual(tree.roots, [parent, exited]);
    assert.deepEqual(tree.children.get(1), [reused]);
    assert.deepEqual(tree.children.get(70), [child]);
  });
});

describe('isParentOf', () => {
  const cases: [string, P, P, boolean][] = [
    ['ppid matches, parent older', p(1, 0, 1), p(2, 1, 2), true],
    ['ppid matches, same start', p(1, 0, 2), p(2, 1, 2), true],
    ['ppid matches, parent younger (reused pid)', p(1, 0, 3), p(2, 1, 2), false],
    ['ppid differs', p(1, 0, 1), p(2, 3, 2), false],
    ['itself', p(4, 4, 1), p(4, 4, 1), false],
  ];
  for (const [name, parent, child, expected] of cases) it(name, () => assert.equal(isParentOf(parent, child), expected));
});

describe('deep chains', () => {
  const DEPTH = 100_000;
  // Built deepest first so the parent of every process is listed after it.
  const chain: P[] = [];
  for (let pid = DEPTH; pid >= 1; pid--) chain.push(p(pid, pid - 1, pid));
  const tree = buildProcessTree(chain);

  it('builds and flattens a 100,000-deep chain without recursion', () => {
    const flat = flattenTree(tree);
    assert.equal(flat.length, DEPTH);
    assert.equal(flat[DEPTH - 1]!.node.pid, DEPTH);
    assert.equal(flat[DEPTH - 1]!.depth, DEPTH - 1);
    assert.ok(flat.every((s, i) => s.node.pid === i + 1 && s.depth === i));
  });

  it('gives descendants and ancestors across the whole chain', () => {
    const d = descendants(tree, 1);
    assert.equal(d.length, DEPTH);
    assert.equal(d[d.length - 1], DEPTH);
    const a = ancestors(tree, DEPTH);
    assert.equal(a.length, DEPTH - 1);
    assert.equal(a[0], DEPTH - 1);
    assert.equal(a[a.length - 1], 1);
    assert.equal(descendantPids(chain, [DEPTH - 2]).size, 3);
  });

  it('walks a 100,000-long ppid cycle once', () => {
    const ring = chain.map((x) => (x.pid === 1 ? p(1, DEPTH, 1) : x));
    // With start times the ring closes on a younger "parent": that link is a reused pid.
    assert.equal(flattenTree(buildProcessTree(ring)).length, DEPTH);
    // Without start times it is a real cycle, broken once.
    const bare = ring.map((x) => p(x.pid, x.ppid));
    const t = buildProcessTree(bare);
    assert.deepEqual(
      t.roots.map((r) => r.pid),
      [1],
    );
    assert.equal(flattenTree(t).length, DEPTH);
    assert.equal(ancestors(t, 1).length, DEPTH - 1);
  });
});

describe('walkPreorder', () => {
  it('reports depth, parent and last-sibling, and prunes where visit returns nothing', () => {
    const tree = buildProcessTree([p(1, 0), p(2, 1), p(3, 1), p(4, 3), p(5, 2)]);
    const seen: string[] = [];
    walkPreorder(tree.roots, ({ node, depth, parent, last }) => {
      seen.push(`${node.pid}:${depth}:${parent?.pid ?? '-'}:${last ? 'L' : ''}`);
      return node.pid === 2 ? undefined : tree.children.get(node.pid);
    });
    assert.deepEqual(seen, ['1:0:-:L', '2:1:1:', '3:1:1:L', '4:2:3:L']);
  });

  it('visits a node listed twice only once', () => {
    const a = p(1, 0);
    const b = p(2, 1);
    const visits: number[] = [];
    walkPreorder([a, a], ({ node }) => {
      visits.push(node.pid);
      return [b, b, a];
    });
    assert.deepEqual(visits, [1, 2]);
  });
});

describe('browser safety', () => {
  it('src/shared imports nothing from Node', () => {
    const dir = join(__dirname, '..', '..', 'src', 'shared');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      assert.doesNotMatch(text, /from\s+'(node:|fs|path|child_process|os)/, f);
      assert.doesNotMatch(text, /require\(/, f);
    }
  });
});
