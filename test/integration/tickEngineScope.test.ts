// "This workspace" is worked out again only when something it depends on changed (the table's shape, a cwd,
// the scope): a quiet tick reuses the last answer, yet a process that moves into a workspace folder is still
// found, on the real /proc of processes this test starts.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProcSampler } from '../../src/core/sampler';
import { CWD_TTL_MS, TickEngine } from '../../src/worker/tickEngine';
import type { TickRequest } from '../../src/worker/protocol';
import { quietScope } from '../../src/worker/vscodeProcesses';

const ws = realpathSync(mkdtempSync(join(tmpdir(), 'procscope-scope-ws-')));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.pid) process.kill(-c.pid, 'SIGKILL');
  rmSync(ws, { recursive: true, force: true });
});

test('a quiet tick resends no membership; a process that changes directory into the folder joins it', async () => {
  // A shell outside the folder that, on SIGUSR1, changes into it and goes back to waiting.
  const sh = spawn('sh', ['-c', `trap 'cd ${ws}' USR1; echo ready; sleep 300 & while :; do wait; done`], {
    cwd: tmpdir(),
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  children.push(sh);
  await new Promise((resolve) => sh.stdout!.once('data', resolve));
  const source = new ProcSampler();
  const engine = new TickEngine({ backend: 'procfs', poll: (o) => source.poll(o), dispose: () => source.dispose() });
  const request = (full: boolean): TickRequest => ({ threads: [], full, scope: quietScope({ folders: [{ path: ws, name: 'proj' }] }) });
  try {
    const first = await engine.tick(request(true));
    assert.equal(first.kind, 'snapshot');
    assert.equal(
      first.members.find((m) => m.pid === sh.pid),
      undefined,
      'outside the folder at first',
    );
    const quiet = await engine.tick(request(false));
    assert.equal(quiet.kind === 'delta' && quiet.members, undefined, 'nothing changed: no membership sent');

    process.kill(sh.pid!, 'SIGUSR1');
    const deadline = Date.now() + CWD_TTL_MS + 4000;
    let joined = false;
    while (!joined && Date.now() < deadline) {
      await sleep(250);
      const r = await engine.tick(request(false));
      joined = r.kind === 'delta' && r.members?.some((m) => m.pid === sh.pid && m.role === 'folder') === true;
    }
    assert.ok(joined, `the shell joins "This workspace" within the cwd refresh (${CWD_TTL_MS} ms)`);
  } finally {
    engine.dispose();
  }
});
