// Card rules that must wait for the real thing: the learner's own selection (kernel threads), the lab's own
// semaphore set (not any set on the machine), the threads lab's own verdict; and the SysV keys the labs and
// the rules share. The processes and SysV objects here are real, started by the test and removed after it.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { scanIpcSync } from '../../src/core/ipc/scan';
import { evaluateLab } from '../../src/core/labs';
import { labSysvKey, labSysvKeyOwner } from '../../src/core/labs/sysvKey';
import { ProcSampler } from '../../src/core/sampler';

const LABS = resolve(__dirname, '../../labs');

function python(code: string): string {
  const run = spawnSync(
    'python3',
    ['-c', `import sys; sys.dont_write_bytecode = True; sys.path.insert(0, ${JSON.stringify(LABS)})\n${code}`],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

/**
 * A real process named `name`; with `semKey` it creates a SysV semaphore set (a number, or 'private') and
 * removes it when its stdin closes. Resolves once it is named (and the set exists), with the semid.
 */
async function helper(
  name: string,
  semKey?: number | 'private',
): Promise<{ child: ChildProcessWithoutNullStreams; semid: number | null; stop(): Promise<void> }> {
  const code = [
    'import ctypes, sys',
    'libc = ctypes.CDLL(None, use_errno=True)',
    `libc.prctl(15, ctypes.c_char_p(${JSON.stringify(name)}.encode()), 0, 0, 0)`,
    'key = sys.argv[1]',
    'semid = -1',
    'if key != "none":',
    '    semid = libc.semget(0 if key == "private" else int(key), 1, 0o1000 | 0o2000 | 0o600)',
    '    assert semid >= 0, ctypes.get_errno()',
    'print(semid, flush=True)',
    'sys.stdin.read()',
    'if semid >= 0: libc.semctl(semid, 0, 0)',
  ].join('\n');
  const child = spawn('python3', ['-c', code, semKey === undefined ? 'none' : String(semKey)]);
  const line = await new Promise<string>((done, fail) => {
    child.stdout.once('data', (d: Buffer) => done(d.toString().trim()));
    child.once('exit', (c) => fail(new Error(`helper ${name} exited ${c}`)));
  });
  const semid = Number(line);
  return {
    child,
    semid: semid >= 0 ? semid : null,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.stdin.end();
      }),
  };
}

test('lab SysV keys: the TypeScript and Python sides agree, and a key names its kind and creator pid', () => {
  const pids = [1, 2, 4242, 65536, 4194303];
  const fromPython = JSON.parse(
    python(`import ipc, json; print(json.dumps([[ipc.lab_sysv_key(k, p) for k in ("msg", "sem")] for p in ${JSON.stringify(pids)}]))`),
  ) as number[][];
  pids.forEach((pid, i) => {
    assert.deepEqual(fromPython[i], [labSysvKey('msg', pid), labSysvKey('sem', pid)], `pid ${pid}`);
    assert.deepEqual(labSysvKeyOwner(`0x${labSysvKey('sem', pid).toString(16)}`), { kind: 'sem', pid });
    assert.deepEqual(labSysvKeyOwner(labSysvKey('msg', pid)), { kind: 'msg', pid });
  });
  for (const other of ['0x00000000', '0x51000001', '0x50000000', '0x50c00001', '0xffffffff', 'IPC_PRIVATE', '']) {
    assert.equal(labSysvKeyOwner(other), null, other);
  }
  assert.throws(() => labSysvKey('sem', 4194304), RangeError);
});

test('socket and GIL verdicts follow the numbers: the faster median wins only by the margin, busy or one-CPU runs are inconclusive', () => {
  const got = JSON.parse(
    python(
      [
        'import ipc, threads, json',
        'print(json.dumps([',
        '  ipc.socket_verdict(1.0, 2.0), ipc.socket_verdict(2.0, 1.0), ipc.socket_verdict(1.0, 1.05), ipc.socket_verdict(1.05, 1.0),',
        '  threads.gil_verdict(4, 100, 380, 1.0, 3.9), threads.gil_verdict(2, 100, 120, 0.9, 1.0),',
        '  threads.gil_verdict(1, 100, 100, 1.0, 1.0), threads.gil_verdict(4, 100, 400, 3.8, 3.9),',
        '  threads.gil_verdict(2, 100, 200, 0.6, 1.2), threads.median([3, 1, 2]), threads.median([4, 1, 3, 2])]))',
      ].join('\n'),
    ),
  ) as unknown[];
  assert.deepEqual(got, ['unix', 'tcp', 'same', 'same', 'shown', 'busy', 'one-cpu', 'no-gil', 'busy', 2, 2.5]);
});

test('kernel threads tick only when the learner selects one (they exist on every machine)', () => {
  const snapshot = new ProcSampler().pollSync({ threads: 'none' });
  const kthread = snapshot.processes.find((p) => p.kernelThread && p.ppid === 2);
  assert.ok(kthread, "this Linux shows kthreadd's children in /proc");
  const done = (selectedPid?: number) =>
    evaluateLab('threads', { snapshot, pids: [], ...(selectedPid !== undefined ? { selectedPid } : {}) }).items.find(
      (i) => i.id === 'kernel-threads',
    )!.done;
  assert.equal(done(), false, 'not by itself');
  assert.equal(done(process.pid), false, 'a user process is not a kernel thread');
  assert.equal(done(kthread.pid), true);
});

test('where no kernel thread is visible (a pid namespace: a container, WSL) the kernel-thread item says why it cannot tick', () => {
  const script = [
    `const { ProcSampler } = require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'core', 'sampler.ts'))});`,
    `const { evaluateLab } = require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'core', 'labs', 'index.ts'))});`,
    "const snapshot = new ProcSampler().pollSync({ threads: 'none' });",
    "for (const locale of ['en', 'ko']) console.log(evaluateLab('threads', { snapshot, pids: [] }, { locale }).items.find((i) => i.id === 'kernel-threads').text);",
  ].join('\n');
  const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, '--import', 'tsx', '-e', script], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const [en, ko] = r.stdout.trim().split('\n');
  assert.match(
    en!,
    /^You showed kernel threads and selected one: .* \(this system shows no kernel threads: no kthreadd, PID 2, .*cannot tick here\)$/,
  );
  assert.match(ko!, /\(이 시스템에는 커널 스레드가 보이지 않습니다: .*\)$/);
  // On this machine's own /proc there are kernel threads: no such words.
  const here = evaluateLab('threads', { snapshot: new ProcSampler().pollSync({ threads: 'none' }), pids: [] });
  assert.doesNotMatch(here.items.find((i) => i.id === 'kernel-threads')!.text, /cannot tick/);
});

test("the semaphore item needs the lab's own set, and the GIL item the lab's own verdict", async () => {
  const lab = await helper('ipc', 'private'); // stands in for the lab; a set it made without the lab's key
  const workers = [await helper('sem-worker'), await helper('sem-worker')];
  const others: Awaited<ReturnType<typeof helper>>[] = [];
  try {
    const pids = [lab.child.pid!, ...workers.map((w) => w.child.pid!)];
    const look = () => {
      const snapshot = new ProcSampler().pollSync({ threads: 'none' });
      const ipc = scanIpcSync({ pids });
      assert.ok(
        ipc.channels.some((c) => c.kind === 'sysv-sem' && c.semid === lab.semid),
        'the foreign set is in the IPC map',
      );
      return evaluateLab('ipc', { snapshot, pids, ipc }).items.find((i) => i.id === 'semaphore')!.done;
    };
    assert.equal(look(), false, "a semaphore set that is not the lab's does not tick");
    // A set with the lab's key for a pid that is not one of the lab's: still not the lab's.
    others.push(await helper('stranger', labSysvKey('sem', process.pid)));
    assert.equal(look(), false, 'a lab key of another process does not tick');
    others.push(await helper('ipc-own', labSysvKey('sem', lab.child.pid!)));
    assert.equal(look(), true, "the set keyed with the lab's pid ticks");

    const verdict = async (name: string) => {
      const marker = await helper(name);
      others.push(marker);
      const snapshot = new ProcSampler().pollSync({ threads: 'none' });
      return evaluateLab('threads', { snapshot, pids: [marker.child.pid!] }).items.find((i) => i.id === 'gil')!.done;
    };
    assert.equal(await verdict('gil-busy'), false, 'an inconclusive measurement does not tick');
    assert.equal(await verdict('gil-no-gil'), false, 'threads that ran in parallel do not tick');
    assert.equal(await verdict('gil-shown'), true);
  } finally {
    for (const h of [lab, ...workers, ...others]) await h.stop();
  }
});
