// Acting on a process by identity, on real processes: a pid handed to a new process while the confirmation
// was open never receives the signal meant for the old one (forced through /proc/sys/kernel/ns_last_pid),
// and "is Node" is decided by the executable, not by argv[0].
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isNodeRuntime } from '../../src/extension/nodeRuntime';
import {
  checkIdentity,
  currentStartTicks,
  identityFromKey,
  signalIdentity,
  type ProcessIdentity,
} from '../../src/extension/processIdentity';

const started: ChildProcess[] = [];
after(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(command: string, args: readonly string[]): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore' });
  started.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

function identity(child: ChildProcess): ProcessIdentity {
  const startTicks = currentStartTicks(child.pid!);
  assert.ok(startTicks, `no start time for ${child.pid}`);
  return { pid: child.pid!, startTicks };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends `old` and starts `sleep` processes until one gets its pid (as root, through ns_last_pid). */
async function takeOverPid(old: ChildProcess): Promise<ChildProcess> {
  const pid = old.pid!;
  old.kill('SIGKILL');
  await exited(old);
  // On a busy machine other processes fork between the write and the spawn: many tries, each a few ms.
  for (let attempt = 0; attempt < 1000; attempt++) {
    writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
    const next = start('sleep', ['100']);
    if (next.pid === pid) return next;
    next.kill('SIGKILL'); // another process on the machine took the pid first: try again
    await exited(next);
  }
  throw new Error(`could not hand pid ${pid} to a new process`);
}

test("identityFromKey reads pid@startTicks and the sampler's same-tick suffix, and nothing else", () => {
  assert.deepEqual(identityFromKey('42@123456'), { pid: 42, startTicks: '123456' });
  assert.deepEqual(identityFromKey('42@123456+1'), { pid: 42, startTicks: '123456' });
  for (const bad of ['42', '@1', '0@1', '42@', '42@1 ', '42@1<b>', 'x@1', '42@1#1', '42@1+0', '42@1+'])
    assert.equal(identityFromKey(bad), undefined, bad);
});

for (const path of ['pidfd', 'check-then-kill'] as const) {
  const noPidfd = path === 'check-then-kill';

  // Forcing the reuse needs root (ns_last_pid); these tests run as root, as the e2e layer does.
  test(`${path}: a signal confirmed after the pid changed hands reaches nothing, and says why`, async () => {
    const old = start('sleep', ['100']);
    await sleep(50); // so the successor starts in a later clock tick (a same-tick reuse is the sampler's to detect)
    const key = identity(old);
    // The modal is "open" while the process exits and another one takes its pid.
    const successor = await takeOverPid(old);
    assert.equal(successor.pid, key.pid);
    assert.equal(checkIdentity(key), 'reused');
    const outcome = await signalIdentity(key, 'SIGKILL', { noPidfd });
    assert.deepEqual(outcome, { kind: 'reused' });
    await sleep(100);
    assert.ok(alive(successor.pid!), 'the process that now holds the pid must not have been signalled');
    assert.equal(successor.exitCode, null);
    assert.equal(successor.signalCode, null);
  });

  test(`${path}: the right process gets the signal; a gone one gets "exited"`, async () => {
    const child = start('sleep', ['100']);
    const key = identity(child);
    const outcome = await signalIdentity(key, 'SIGTERM', { noPidfd });
    assert.equal(outcome.kind, 'sent');
    if (outcome.kind === 'sent') assert.equal(outcome.via, noPidfd ? 'kill' : existsSync('/usr/bin/python3') ? 'pidfd' : 'kill');
    await exited(child);
    assert.equal(child.signalCode, 'SIGTERM');
    assert.deepEqual(await signalIdentity(key, 'SIGTERM', { noPidfd }), { kind: 'exited' });
  });
}

test('a signal.py in the working directory is not run by the pidfd helper (python3 -I, from /)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'procscope-cwd-'));
  const marker = join(dir, 'ran');
  // A module named like the one the helper imports, as an untrusted repository opened with `code .` may hold.
  for (const name of ['signal.py', 'os.py'])
    writeFileSync(join(dir, name), `open(${JSON.stringify(marker)}, 'w').close()\nraise SystemExit(0)\n`);
  const before = process.cwd();
  process.chdir(dir);
  try {
    const child = start('sleep', ['100']);
    const outcome = await signalIdentity(identity(child), 'SIGTERM');
    assert.equal(outcome.kind, 'sent');
    await exited(child);
    assert.equal(child.signalCode, 'SIGTERM');
    assert.equal(existsSync(marker), false, 'the signal.py of the working directory ran');
  } finally {
    process.chdir(before);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('"is Node" follows the executable: a sleep named node is not, a copy of sleep called node is not, node is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'procscope-node-'));
  try {
    const disguised = start('bash', ['-c', 'exec -a node sleep 100']);
    const fakeNode = join(dir, 'node');
    copyFileSync('/usr/bin/sleep', fakeNode);
    const renamed = start(fakeNode, ['100']);
    const real = start(process.execPath, ['-e', 'setTimeout(() => {}, 100000)']);
    await sleep(300); // bash has exec'd sleep; node is up
    assert.equal(isNodeRuntime(disguised.pid!), false, 'argv[0] "node" does not make sleep a Node process');
    assert.equal(isNodeRuntime(renamed.pid!), false, 'a file named node without the inspector is not Node');
    assert.equal(isNodeRuntime(real.pid!), true, `${process.execPath} is Node`);
    assert.equal(isNodeRuntime(999_999_999), false);
    assert.ok(alive(disguised.pid!) && alive(renamed.pid!), 'deciding never signals anything');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
