// The host's per-lab session (src/extension/labs/labSession.ts): which details it reads, what it focuses,
// that it posts a card only when it changed and completes exactly once. The lab is the real fork_cow.py run
// under a real shell (as in the lab's terminal), read by ProcScope's own sampler and detail reader.
import { labFactsReader } from '../../src/worker/labFacts';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'node:test';
import { readProcessDetail } from '../../src/core/detail';
import { ProcSampler } from '../../src/core/sampler';
import { detailPids, LabSession, SelectionOrigin, vscodeFocus, type LabTickOutput } from '../../src/extension/labs/labSession';
import type { WorkspaceMember } from '../../src/protocol';

const labFacts = labFactsReader();
const readLabFacts = (waitPids: readonly number[] | null, exitPids: readonly number[]) =>
  Promise.resolve().then(() => labFacts(waitPids, exitPids));

const LAB = resolve(__dirname, '../../labs/fork_cow.py');

test("detailPids: the rules' processes, plus the selected lab process only where a card item reads it", () => {
  const cases = [
    { lab: 'fork_cow', details: [10], pids: [9, 10, 11], selected: 11, want: [10] },
    { lab: 'pcb_states', details: [20], pids: [20, 21], selected: 21, want: [20, 21] },
    { lab: 'pcb_states', details: [20], pids: [20, 21], selected: 999, want: [20] },
    { lab: 'pcb_states', details: [20], pids: [20, 21], selected: 20, want: [20] },
    { lab: 'pcb_states', details: [], pids: [20], selected: undefined, want: [] },
  ] as const;
  for (const c of cases) {
    const got = detailPids(c.lab, { threads: [], details: c.details, ipc: false, pids: c.pids }, c.selected);
    assert.deepEqual(
      got.sort((a, b) => a - b),
      [...c.want],
      JSON.stringify(c),
    );
  }
});

test("vscodeFocus: VS Code's other processes, the extension host last (the panel selects the first), not terminals or folders", () => {
  const members: WorkspaceMember[] = [
    { pid: 300, role: 'vscode', label: 'VS Code' },
    { pid: 100, role: 'vscode', label: 'VS Code: extension host' },
    { pid: 50, role: 'vscode', label: 'VS Code' },
    { pid: 400, role: 'terminal', label: 'Terminal: bash' },
    { pid: 500, role: 'folder', label: 'Folder: x' },
  ];
  assert.deepEqual(vscodeFocus(100, members), [50, 300, 100]);
  assert.deepEqual(vscodeFocus(100, []), [100]);
});

test(
  'a real fork_cow run under a shell: focus on what the shell started, cards only on change, completion once',
  { timeout: 120_000 },
  async (t) => {
    // `; exit` keeps sh as the lab's parent (as the terminal's shell is), instead of exec-ing python.
    const shell = spawn('sh', ['-c', `python3 '${LAB}' --pause 3 --seconds 90; exit 0`], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PROCSCOPE_LANG: 'ko' },
    });
    let stderr = '';
    shell.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const shellPid = shell.pid!;
    t.after(() => {
      try {
        process.kill(-shellPid, 'SIGTERM');
      } catch {
        // already gone
      }
    });

    const sampler = new ProcSampler();
    t.after(() => sampler.dispose());
    const session = new LabSession('fork_cow', 'ko', shellPid, process.pid);
    assert.equal(session.title, 'fork, exec, 카피 온 라이트');
    const outputs: LabTickOutput[] = [];
    const detailReads: number[] = [];
    let forkParent: number | undefined;
    let ticksAfterComplete = 0;
    for (let i = 0; i < 200 && !session.finished; i++) {
      const snapshot = sampler.pollSync({ threads: session.threads() });
      const out = await session.tick({
        snapshot,
        readDetail: (pid) => {
          detailReads.push(pid);
          return Promise.resolve().then(() => readProcessDetail(pid));
        },
        readLabFacts,
      });
      outputs.push(out);
      const parent = snapshot.processes.find((p) => p.name === 'fork-parent');
      if (parent) forkParent = parent.pid;
      if (out.focus) {
        assert.ok(!out.focus.includes(shellPid), "the shell itself is not one of the lab's processes");
        const byPid = new Map(snapshot.processes.map((p) => [p.pid, p]));
        for (const pid of out.focus) assert.ok(byPid.has(pid), `focused pid ${pid} is in the snapshot`);
      }
      if (outputs.some((o) => o.completedNow)) ticksAfterComplete++;
      if (ticksAfterComplete >= 3) break;
      await delay(600);
    }
    assert.equal(stderr, '', 'the lab wrote nothing to stderr');

    const completions = outputs.filter((o) => o.completedNow).length;
    assert.equal(completions, 1, 'completion is reported exactly once');
    const card = session.card!;
    assert.deepEqual(
      card.items.map((i) => [i.id, i.done]),
      [
        ['forked', true],
        ['cow-shared', true],
        ['cow-private', true],
        ['cow-faults', true],
        ['demand-paging', true],
      ],
    );
    assert.equal(card.items[0]!.text, 'fork-parent에 fork-child 자식이 4개');

    // Cards: posted when something changed, null otherwise; a tick after completion changes nothing.
    const posted = outputs.filter((o) => o.card !== null);
    assert.ok(posted.length >= 2 && posted.length < outputs.length, `${posted.length} cards posted over ${outputs.length} ticks`);
    assert.deepEqual(outputs.at(-1)!.card, null);
    const doneCounts = posted.map((o) => o.card!.items.filter((i) => i.done).length);
    assert.deepEqual(
      doneCounts,
      [...doneCounts].sort((a, b) => a - b),
      'ticked items stay ticked',
    );

    // Focus: the first one holds the lab's python process; fork-parent was focused while it had children.
    const focuses = outputs.flatMap((o) => (o.focus ? [o.focus] : []));
    assert.ok(focuses.length >= 2, "focus follows the lab's changing processes");
    assert.ok(forkParent !== undefined && focuses.some((f) => f.includes(forkParent!)), 'fork-parent was focused');

    // Details: only cow-child's (the rules' one process), never the shell or the parent.
    assert.ok(detailReads.length > 0, "cow-child's detail was read");
    assert.ok(!detailReads.includes(shellPid));
    assert.ok(!detailReads.includes(forkParent!));
    assert.equal(new Set(detailReads).size, 1, `details read of ${[...new Set(detailReads)].join(',')}`);
  },
);

test(
  "a shell child that comes and goes before the lab starts does not end the session; the lab's exit does",
  { timeout: 60_000 },
  async (t) => {
    // As a terminal's shell does while it reads its start-up files: a short child (`sleep 0.6`), then a wait with
    // no child at all (`read -t 3` on a pipe nobody writes), then the lab.
    const shell = spawn('bash', ['-c', `sleep 0.6; read -t 3; exec 0</dev/null; python3 '${LAB}' --pause 1 --seconds 30; exit 0`], {
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const shellPid = shell.pid!;
    t.after(() => {
      try {
        process.kill(-shellPid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    const sampler = new ProcSampler();
    t.after(() => sampler.dispose());
    const session = new LabSession('fork_cow', 'en', shellPid, process.pid);
    const tick = async () => {
      const snapshot = sampler.pollSync({ threads: session.threads() });
      await session.tick({ snapshot, readDetail: (pid) => Promise.resolve().then(() => readProcessDetail(pid)), readLabFacts });
      return snapshot;
    };
    const shellChildren = (snapshot: { processes: readonly { pid: number; ppid: number; name: string }[] }) =>
      snapshot.processes.filter((p) => p.ppid === shellPid);

    let sawSleep = false;
    let sawGap = false;
    let forked = false;
    for (let i = 0; i < 300 && !forked; i++) {
      const snapshot = await tick();
      const children = shellChildren(snapshot);
      if (children.some((p) => p.name === 'sleep')) sawSleep = true;
      else if (sawSleep && children.length === 0) sawGap = true;
      assert.equal(session.finished, false, `tick ${i}: the session ended while the shell had ${children.length} children`);
      forked = session.card?.items.find((it) => it.id === 'forked')?.done === true;
      await delay(100);
    }
    assert.ok(sawSleep && sawGap, `the shell's short child and the gap after it were seen (sleep ${sawSleep}, gap ${sawGap})`);
    assert.ok(forked, 'the lab that started after the gap ticked its first item');

    // The lab's script ends (its process group is killed): the session ends at a later tick.
    process.kill(-shellPid, 'SIGKILL');
    for (let i = 0; i < 50 && !session.finished; i++) {
      await tick();
      await delay(100);
    }
    assert.equal(session.finished, true, "the session ended with the lab's script");
  },
);

test("SelectionOrigin: the selection from before the lab and the one a focus makes are not the learner's", () => {
  const cases: {
    name: string;
    steps: ({ tick: number | undefined; want: number | undefined } | { focus: number[]; selected: number | undefined })[];
  }[] = [
    {
      name: 'selected before the lab started',
      steps: [
        { tick: 7, want: undefined },
        { tick: 7, want: undefined },
      ],
    },
    { name: 'nothing selected', steps: [{ tick: undefined, want: undefined }] },
    {
      name: 'the focus selects its first pid',
      steps: [
        { tick: 7, want: undefined },
        { focus: [10, 11], selected: 7 },
        { tick: 7, want: undefined },
        { tick: 10, want: undefined },
      ],
    },
    {
      name: 'the learner selects another process',
      steps: [
        { tick: 7, want: undefined },
        { focus: [10, 11], selected: 7 },
        { tick: 10, want: undefined },
        { tick: 11, want: 11 },
      ],
    },
    {
      name: 'and then back to the focused one',
      steps: [
        { tick: undefined, want: undefined },
        { focus: [10, 11], selected: undefined },
        { tick: 10, want: undefined },
        { tick: 11, want: 11 },
        { tick: 10, want: 10 },
      ],
    },
    {
      name: 'a new focus yanks the selection',
      steps: [
        { tick: 7, want: undefined },
        { tick: 11, want: 11 },
        { focus: [10, 11, 12], selected: 11 },
        { tick: 10, want: undefined },
        { tick: 12, want: 12 },
      ],
    },
  ];
  for (const c of cases) {
    const origin = new SelectionOrigin();
    c.steps.forEach((step, i) => {
      if ('focus' in step) origin.focused(step.focus, step.selected);
      else assert.equal(origin.learnerSelection(step.tick), step.want, `${c.name}, step ${i}`);
    });
  }
});

test("vscode_itself runs nothing: it focuses VS Code's processes once and ticks each item only when the learner selects that process", async (t) => {
  // This test process stands in for the extension host; a child it starts stands in for a language server.
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  const shell = spawn('sh', ['-c', 'sleep 30'], { stdio: 'ignore' });
  t.after(() => shell.kill('SIGKILL'));
  const sampler = new ProcSampler();
  t.after(() => sampler.dispose());
  await delay(200);
  const members: WorkspaceMember[] = [
    { pid: process.pid, role: 'vscode', label: 'VS Code: extension host' },
    { pid: process.ppid, role: 'vscode', label: 'VS Code' },
    { pid: shell.pid!, role: 'terminal', label: 'Terminal: sh' },
  ];
  const session = new LabSession('vscode_itself', 'en', undefined, process.pid);
  const readDetail = (pid: number) => Promise.resolve().then(() => readProcessDetail(pid));
  const doneOf = (out: LabTickOutput) => new Map((out.card ?? session.card!).items.map((i) => [i.id, i.done] as const));
  const first = await session.tick({ snapshot: sampler.pollSync({ threads: [process.pid] }), members, readDetail, readLabFacts });
  assert.deepEqual(first.focus, [process.ppid, process.pid]);
  assert.deepEqual(
    [...doneOf(first).values()],
    [false, false, false, false],
    "nothing ticks by itself: VS Code's processes exist whether or not anyone looks",
  );
  // The panel selects the focus's first pid by itself: still not the learner's doing.
  const auto = await session.tick({
    snapshot: sampler.pollSync({ threads: [process.pid] }),
    selectedPid: process.ppid,
    readDetail,
    readLabFacts,
  });
  assert.deepEqual([...doneOf(auto).values()], [false, false, false, false], 'the focus selection ticks nothing');
  // Node runs its main thread, V8's platform workers and libuv's threads: at least 5 (7 for plain node 20).
  const host = sampler.pollSync({}).processes.find((p) => p.pid === process.pid)!;
  assert.ok(host.numThreads >= 5, `host threads: ${host.numThreads}`);
  const selectHost = await session.tick({
    snapshot: sampler.pollSync({ threads: [process.pid] }),
    selectedPid: process.pid,
    readDetail,
    readLabFacts,
  });
  let done = doneOf(selectHost);
  assert.equal(done.get('extension-host'), true, 'the learner selected the extension host');
  assert.equal(done.get('vscode-processes'), true, "the host is one of VS Code's processes");
  assert.equal(done.get('host-children'), false);
  assert.equal(done.get('terminal'), false);
  await session.tick({ snapshot: sampler.pollSync({}), selectedPid: child.pid!, readDetail, readLabFacts });
  done = doneOf(await session.tick({ snapshot: sampler.pollSync({}), selectedPid: shell.pid!, readDetail, readLabFacts }));
  assert.equal(done.get('host-children'), true, "the learner selected the host's child");
  assert.equal(done.get('terminal'), true, "the learner selected the terminal's shell");
  assert.equal(session.finished, false);
  const again = await session.tick({ snapshot: sampler.pollSync({}), selectedPid: shell.pid!, readDetail, readLabFacts });
  assert.equal(again.focus, null, 'focused once');
  assert.equal(again.card, null, 'nothing changed');
});
