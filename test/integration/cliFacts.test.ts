// What the core knows and the text output must say, run through the built dist/cli.js (the artefact users
// get) on real processes: context switches summed over threads with each thread's own row, a process whose
// main thread called pthread_exit shown alive, and a count of what a hidepid=2 procfs kept from the reader.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compileC, mountHidepid, startProgram, waitFor, type Started } from './helpers';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const started: Started[] = [];
after(async () => {
  for (const s of started) await s.kill();
});

before(() => {
  assert.ok(existsSync(CLI), 'dist/cli.js exists (build it with node scripts/build.mjs)');
});

function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  prefix: string[] = [],
): { status: number | null; stdout: string; stderr: string } {
  const [command, ...rest] = [...prefix, process.execPath, CLI, ...args];
  const r = spawnSync(command!, rest, {
    encoding: 'utf8',
    cwd: ROOT,
    maxBuffer: 64 << 20,
    env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', PROCSCOPE_LANG: '', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const stateOf = (pid: number): string => /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'latin1'))![1]!;

describe('procscope show: context switches of a multi-threaded process', () => {
  it("labels the totals as the sum over its threads and lists each thread's own", async () => {
    const s = await startProgram(compileC('ctxt_worker.c'), []);
    started.push(s);
    await waitFor('both threads to sleep in pause()', () =>
      readdirSync(`/proc/${s.pid}/task`).every((tid) => readFileSync(`/proc/${s.pid}/task/${tid}/wchan`, 'latin1').includes('pause')),
    );
    const r = cli(['show', String(s.pid)]);
    assert.equal(r.status, 0, r.stderr);
    const total = /context switches\s+voluntary (\d+)\s+involuntary (\d+)\s+\(sum over 2 threads\)/.exec(r.stdout);
    assert.ok(total, r.stdout);
    const lines = r.stdout.split('\n');
    const head = lines.findIndex((l) => l === 'Threads (2)');
    assert.ok(head > 0, r.stdout);
    assert.match(lines[head + 1]!, /^\s+TID\s+NAME\s+S\s+VOLUNTARY\s+INVOLUNTARY\s+WAIT CHANNEL$/);
    const rows = lines.slice(head + 2, head + 4).map((l) => l.trim().split(/\s+/));
    const tids = readdirSync(`/proc/${s.pid}/task`).sort();
    assert.deepEqual(rows.map((c) => c[0]).sort(), tids);
    for (const c of rows) {
      assert.equal(c[1], 'ctxt_worker');
      assert.equal(c[2], 'S');
      assert.match(c[5]!, /pause/, "each thread's own wait channel");
    }
    const worker = rows.find((c) => c[0] !== String(s.pid))!;
    const main = rows.find((c) => c[0] === String(s.pid))!;
    assert.ok(Number(worker[3]) >= 2900, `worker's own voluntary switches: ${worker[3]}`);
    assert.equal(Number(total[1]), Number(worker[3]) + Number(main[3]), 'the process line is the sum of the rows');
    assert.equal(Number(total[2]), Number(worker[4]) + Number(main[4]));
    assert.match(r.stdout, /wait channel\s+\S*pause\S*\s+\(over its threads/);

    const ko = cli(['show', String(s.pid)], { LANG: 'ko_KR.UTF-8' });
    assert.match(ko.stdout, /\(스레드 2개의 합\)/);
    assert.match(ko.stdout, /^스레드 \(2\)$/m);
  });
});

describe('procscope show and snapshot: a process whose main thread called pthread_exit', () => {
  it('is shown alive with a note that its main thread exited and how many threads run', async () => {
    const bin = compileC('leader_exit.c');
    const s = await startProgram(bin, ['--marker']);
    started.push(s);
    await waitFor('the leader to become a zombie', () => stateOf(s.pid) === 'Z');
    const r = cli(['show', String(s.pid)]);
    assert.equal(r.status, 0, r.stderr);
    const first = r.stdout.split('\n')[0]!;
    assert.match(first, new RegExp(`^Process ${s.pid} \\(leader_exit\\)  state S: interruptible sleep`));
    assert.match(r.stdout, /note\s+main thread exited \(pthread_exit\); 1 other thread\(s\) run/);
    assert.match(r.stdout, new RegExp(`command\\s+${bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --marker`));
    assert.doesNotMatch(r.stdout, /zombie/i);
    assert.match(
      cli(['show', String(s.pid)], { LANG: 'ko_KR.UTF-8' }).stdout,
      /메인 스레드가 종료함 \(pthread_exit\); 다른 스레드 1개가 실행 중/,
    );

    const snap = cli(['snapshot']);
    assert.equal(snap.status, 0, snap.stderr);
    const line = snap.stdout.split('\n').find((l) => l.trimStart().startsWith(`${s.pid} `));
    assert.ok(line, snap.stdout.slice(0, 500));
    assert.match(line, new RegExp(`^\\s*${s.pid} S\\s+2 .*--marker  \\(main thread exited; other threads run\\)$`));
  });
});

/** Runs a command as nobody (setpriv), who sees only its own processes under hidepid. */
const nobody = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'];

describe('procscope snapshot and ps on a procfs mounted with hidepid=2', () => {
  it('say how many tasks an unprivileged reader could not see and why: snapshot under its tree, ps on stderr', (t) => {
    const mnt = mountHidepid(t, '2');
    const note = /^note: (\d+) task\(s\) \(processes and threads\) could not be seen: hidepid=\S+/;

    const snap = cli(['snapshot', '--proc-root', mnt], {}, nobody);
    assert.equal(snap.status, 0, snap.stderr);
    const last = snap.stdout.trimEnd().split('\n').pop()!;
    const counted = note.exec(last);
    assert.ok(counted, snap.stdout);
    assert.ok(Number(counted[1]) > 10, last);
    const ko = cli(['snapshot', '--proc-root', mnt], { LANG: 'ko_KR.UTF-8' }, nobody);
    assert.match(ko.stdout, /참고: 태스크\(프로세스와 스레드\) \d+개를 볼 수 없었습니다: hidepid=/);

    const ps = cli(['ps', '--proc-root', mnt], {}, nobody);
    assert.equal(ps.status, 0, ps.stderr);
    assert.match(ps.stderr.trim(), new RegExp(`^procscope: ${note.source.slice(1)}`));
    assert.ok(
      ps.stdout.split('\n').every((l) => !l.includes('could not be seen')),
      'stdout keeps only the ps table',
    );
    assert.match(ps.stdout.split('\n')[0]!, /^UID\s+PID\s+PPID\s+LWP/);

    // sys counts tasks by state: it says the same of what it could not count, and --json carries it.
    const sys = cli(['sys', '--interval', '50', '--proc-root', mnt], {}, nobody);
    assert.equal(sys.status, 0, sys.stderr);
    assert.match(sys.stderr.trim(), new RegExp(`^procscope: ${note.source.slice(1)}`));
    const sysJson = JSON.parse(cli(['sys', '--json', '--interval', '50', '--proc-root', mnt], {}, nobody).stdout) as {
      hidden: { count: number; unit: string }[];
    };
    assert.ok(
      sysJson.hidden.some((h) => h.unit === 'tasks' && h.count > 10),
      JSON.stringify(sysJson.hidden),
    );

    // Root sees through hidepid: nothing hidden, nothing said.
    assert.equal(cli(['sys', '--interval', '50', '--proc-root', mnt]).stderr, '');
    const asRoot = cli(['snapshot', '--proc-root', mnt]);
    assert.equal(asRoot.status, 0, asRoot.stderr);
    assert.doesNotMatch(asRoot.stdout, /could not be seen/);
    assert.equal(cli(['ps', '--proc-root', mnt]).stderr, '');
  });

  it('who, ipc, ipcs, locks and waits say their answer covers only what the reader may see; show says why a pid may be missing', (t) => {
    const mnt = mountHidepid(t, '2');
    const commands = [['who', '/'], ['ipc'], ['ipcs'], ['locks'], ['waits']];
    for (const args of commands) {
      const r = cli([...args, '--proc-root', mnt], {}, nobody);
      assert.match(
        r.stderr,
        new RegExp(
          `^procscope: note: ${mnt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is mounted with hidepid=\\S+: other users' processes are hidden`,
          'm',
        ),
        `${args.join(' ')}: ${r.stderr}`,
      );
      // Root sees every process: no note.
      assert.doesNotMatch(cli([...args, '--proc-root', mnt]).stderr, /is mounted with hidepid/, args.join(' '));
    }
    const ko = cli(['locks', '--proc-root', mnt], { LANG: 'ko_KR.UTF-8' }, nobody);
    assert.match(ko.stderr, /hidepid=\S+\(으\)로 마운트되어 다른 사용자의 프로세스가 이 사용자에게 숨겨져 있습니다/);
    // pid 1 is root's: hidden from nobody, and the refusal says why it may be missing.
    const show = cli(['show', '1', '--proc-root', mnt], {}, nobody);
    assert.equal(show.status, 3, show.stderr);
    assert.match(
      show.stderr,
      /\(or it is another user's: .* is mounted with hidepid=\S+, which hides other users' processes from this user\)$/m,
    );
  });

  it('ipc and waits say permission denied, not "no process", for a process hidepid=1 lists but refuses', (t) => {
    const mnt = mountHidepid(t, '1');
    for (const args of [
      ['ipc', '--pid', '1'],
      ['waits', '--pid', '1'],
    ]) {
      const r = cli([...args, '--proc-root', mnt], {}, nobody);
      assert.equal(r.status, 4, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^procscope: permission denied: process 1 is there but this user may not look at it/m);
      // A pid nobody has is still "no process".
      const gone = cli([args[0]!, '--pid', '4194303', '--proc-root', mnt], {}, nobody);
      assert.equal(gone.status, 3, gone.stderr);
    }
  });
});

describe('procscope waits --all: a thread that waits for nothing says its state', () => {
  it('calls a zombie a zombie and a stopped process stopped, not running or asleep on its call', async () => {
    // A parent that does not reap its child: the child is a zombie while the parent sleeps.
    const parent = await startProgram('python3', [
      '-c',
      'import os, time\np = os.fork()\nif p == 0: os._exit(0)\nprint(p, flush=True)\ntime.sleep(60)',
    ]);
    started.push(parent);
    const zombie = Number(parent.firstLine);
    await waitFor('the child to become a zombie', () => stateOf(zombie) === 'Z');
    const z = cli(['waits', '--pid', String(zombie), '--all']);
    assert.equal(z.status, 0, z.stderr);
    assert.match(z.stdout, new RegExp(`^${zombie}/${zombie} python3 +zombie \\(exited, not yet reaped by its parent\\)$`, 'm'));
    // A process stopped by SIGSTOP inside a sleep waits for SIGCONT first.
    const sleeper = await startProgram('sh', ['-c', 'echo up; exec sleep 60']);
    started.push(sleeper);
    // Its first line comes from the shell: stopped before the exec, it would be the shell that is stopped.
    await waitFor('the shell to become sleep', () => readFileSync(`/proc/${sleeper.pid}/comm`, 'latin1') === 'sleep\n');
    process.kill(sleeper.pid, 'SIGSTOP');
    await waitFor('the sleeper to stop', () => stateOf(sleeper.pid) === 'T');
    const s = cli(['waits', '--pid', String(sleeper.pid), '--all']);
    assert.equal(s.status, 0, s.stderr);
    assert.match(s.stdout, new RegExp(`^${sleeper.pid}/${sleeper.pid} sleep +stopped by a job-control signal`, 'm'));
    assert.doesNotMatch(s.stdout, /running/);
    const ko = cli(['waits', '--pid', String(zombie), '--all', '--lang', 'ko']);
    assert.match(ko.stdout, /좀비: 종료했지만 부모가 아직 회수하지 않음/);
    process.kill(sleeper.pid, 'SIGCONT');
  });
});
