// The shared channel renderer: every kind in English and Korean, OS text through visible(), and the English
// rendering identical to the core's own label for every channel a real scan of this machine finds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANNEL_KINDS, type Channel, type Endpoint, type IpcWarning } from '../../src/core/ipc/model';
import { scanIpcSync } from '../../src/core/ipc/scan';
import {
  channelLabel,
  inetStateText,
  ipcWarningEnglish,
  ipcWarningText,
  lockAccessText,
  waitHowText,
  waitObjectText,
} from '../../src/shared/channelText';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { collectWaits } from '../../src/core/waits/collect';
import { visible } from '../../src/shared/visible';

const ep = (pid: number, fd: number | null, role: Endpoint['role']): Endpoint => ({ pid, fd, role, processName: 'x' });
const HOSTILE = '/tmp/a\nb\u202Ec\udcff';

// One channel of every kind, with the core's English label as scan.ts writes it.
const SAMPLES: readonly (readonly [Channel, string])[] = [
  [{ kind: 'pipe', id: 'pipe:123', label: 'pipe 123', inode: 123, endpoints: [] }, '파이프 123'],
  [{ kind: 'fifo', id: 'fifo:1:2', label: `FIFO ${HOSTILE}`, path: HOSTILE, inode: 2, endpoints: [] }, `FIFO ${visible(HOSTILE)}`],
  [
    {
      kind: 'unix',
      id: 'unix:5',
      label: '/run/s.sock (stream, peer unknown)',
      path: '/run/s.sock',
      abstract: false,
      socketType: 'stream',
      state: 'connected',
      inodes: [5, 6],
      peerKnown: false,
      inode: 5,
      endpoints: [ep(1, 3, 'connected')],
    },
    '/run/s.sock (스트림, 상대 알 수 없음)',
  ],
  [
    {
      kind: 'unix',
      id: 'unix:7',
      label: 'unnamed (dgram)',
      path: null,
      abstract: false,
      socketType: 'dgram',
      state: 'unconnected',
      inodes: [7],
      peerKnown: false,
      inode: 7,
      endpoints: [ep(1, 4, 'unconnected')],
    },
    '이름 없음 (데이터그램)',
  ],
  [
    {
      kind: 'tcp',
      id: 'tcp:127.0.0.1:80',
      label: 'TCP 127.0.0.1:80 listen ← 2 peer(s)',
      family: 'ipv4',
      state: 'LISTEN',
      local: '127.0.0.1:80',
      remote: '0.0.0.0:0',
      joined: true,
      inodes: [1, 2, 3],
      endpoints: [],
    },
    'TCP 127.0.0.1:80 연결 대기 ← 상대 2개',
  ],
  [
    {
      kind: 'udp',
      id: 'udp:[::1]:53',
      label: 'UDP [::1]:53 unconn',
      family: 'ipv6',
      state: 'UNCONN',
      local: '[::1]:53',
      remote: '[::]:0',
      joined: false,
      inodes: [1],
      endpoints: [],
    },
    'UDP [::1]:53 연결 안 됨',
  ],
  [
    {
      kind: 'tcp',
      id: 'tcp:a-b',
      label: 'TCP 127.0.0.1:80 ↔ 127.0.0.1:5000',
      family: 'ipv4',
      state: 'ESTABLISHED',
      local: '127.0.0.1:80',
      remote: '127.0.0.1:5000',
      joined: true,
      inodes: [1, 2],
      endpoints: [],
    },
    'TCP 127.0.0.1:80 ↔ 127.0.0.1:5000',
  ],
  [
    { kind: 'posix-shm', id: 'posix-shm:1', label: 'POSIX shm /dev/shm/x (deleted)', path: '/dev/shm/x', deleted: true, endpoints: [] },
    'POSIX 공유 메모리 /dev/shm/x (삭제됨)',
  ],
  [
    {
      kind: 'posix-shm',
      id: 'posix-shm:2',
      label: 'shared file mapping /tmp/f',
      path: '/tmp/f',
      deleted: false,
      sharedFile: true,
      endpoints: [],
    },
    '공유 파일 매핑 /tmp/f',
  ],
  [
    {
      kind: 'sysv-shm',
      id: 'sysv-shm:3',
      label: 'SysV shm 3 (key 0x0000162e)',
      key: '0x0000162e',
      shmid: 3,
      size: 1,
      creatorPid: 1,
      lastPid: 1,
      attachCount: 1,
      perms: '600',
      uid: 0,
      markedForRemoval: false,
      endpoints: [],
    },
    'SysV 공유 메모리 3 (키 0x0000162e)',
  ],
  [
    {
      kind: 'sysv-msg',
      id: 'sysv-msg:4',
      label: 'SysV msg queue 4 (key 0x00000001)',
      key: '0x00000001',
      msqid: 4,
      bytes: 0,
      messages: 0,
      lastSendPid: 0,
      lastRecvPid: 0,
      perms: '600',
      uid: 0,
      endpoints: [],
    },
    'SysV 메시지 큐 4 (키 0x00000001)',
  ],
  [
    {
      kind: 'sysv-sem',
      id: 'sysv-sem:5',
      label: 'SysV semaphore set 5 (key 0x00000002)',
      key: '0x00000002',
      semid: 5,
      nsems: 1,
      perms: '600',
      uid: 0,
      endpoints: [],
    },
    'SysV 세마포어 집합 5 (키 0x00000002)',
  ],
  [{ kind: 'mqueue', id: 'mqueue:1', label: 'mqueue /q', name: '/q', endpoints: [] }, 'POSIX 메시지 큐 /q'],
  [
    { kind: 'posix-sem', id: 'posix-sem:1', label: 'POSIX semaphore /s', path: '/dev/shm/sem.s', name: '/s', endpoints: [] },
    'POSIX 세마포어 /s',
  ],
  [{ kind: 'memfd', id: 'memfd:1', label: 'memfd buf', name: 'buf', endpoints: [] }, 'memfd buf'],
  [{ kind: 'eventfd', id: 'eventfd:1f', label: 'eventfd 1f', endpoints: [] }, 'eventfd 1f'],
  [{ kind: 'epoll', id: 'epoll:10:4', label: 'epoll (pid 10, fd 4)', endpoints: [ep(10, 4, 'open')] }, 'epoll (pid 10, fd 4)'],
  [{ kind: 'signalfd', id: 'signalfd:10:5', label: 'signalfd (pid 10, fd 5)', endpoints: [ep(10, 5, 'open')] }, 'signalfd (pid 10, fd 5)'],
  [{ kind: 'timerfd', id: 'timerfd:10:6', label: 'timerfd (pid 10, fd 6)', endpoints: [ep(10, 6, 'open')] }, 'timerfd (pid 10, fd 6)'],
  [{ kind: 'inotify', id: 'inotify:10:7', label: 'inotify (pid 10, fd 7)', endpoints: [ep(10, 7, 'open')] }, 'inotify (pid 10, fd 7)'],
  [
    {
      kind: 'lock',
      id: 'lock:1',
      label: `POSIX WRITE lock on ${HOSTILE} [0-9]`,
      lockClass: 'POSIX',
      mode: 'ADVISORY',
      access: 'WRITE',
      start: 0,
      end: 9,
      device: '08:01',
      fileInode: 9,
      path: HOSTILE,
      endpoints: [],
    },
    `${visible(HOSTILE)}의 POSIX 쓰기 잠금 [0-9]`,
  ],
  [
    {
      kind: 'lock',
      id: 'lock:2',
      label: 'FLOCK READ lock on 08:01:9 [5-EOF]',
      lockClass: 'FLOCK',
      mode: 'ADVISORY',
      access: 'READ',
      start: 5,
      end: null,
      device: '08:01',
      fileInode: 9,
      path: null,
      endpoints: [],
    },
    '08:01:9의 FLOCK 읽기 잠금 [5-끝]',
  ],
];

describe('channelLabel', () => {
  it('has a sample of every channel kind', () => {
    assert.deepEqual(new Set(SAMPLES.map(([c]) => c.kind)), new Set(CHANNEL_KINDS));
  });

  it('renders every kind in English as the core labels it, and in Korean', () => {
    for (const [c, ko] of SAMPLES) {
      assert.equal(channelLabel(c, 'en'), visible(c.label), c.id);
      assert.equal(channelLabel(c, 'ko'), ko, c.id);
    }
  });

  it('shows a hostile path through visible(): no newline, no bidi override, the bad byte as \\xff', () => {
    for (const lang of ['en', 'ko'] as const) {
      for (const [c] of SAMPLES.filter(([x]) => x.label.includes(HOSTILE))) {
        const text = channelLabel(c, lang);
        assert.ok(!/[\n\u202E\udcff]/.test(text), text);
        assert.ok(text.includes('/tmp/a\\nb\\u202Ec\\xff'), text);
      }
    }
  });

  it('leaves states and accesses it does not know as the kernel wrote them, made visible', () => {
    assert.equal(inetStateText('LISTEN', 'ko'), '연결 대기');
    assert.equal(inetStateText('42\n', 'ko'), '42\\n');
    assert.equal(lockAccessText('BREAKING', 'ko'), 'BREAKING');
  });

  it('renders every channel a real scan of this machine finds in English exactly as its label', () => {
    const map = scanIpcSync({ anonInfo: true, mapsMaxAgeMs: 0, ssMaxAgeMs: 0 });
    assert.ok(map.channels.length > 0);
    for (const c of map.channels) {
      assert.equal(channelLabel(c, 'en'), visible(c.label), c.id);
      assert.notEqual(channelLabel(c, 'ko'), '');
    }
    // The codes and the English notes are the same list.
    assert.deepEqual(map.warningCodes?.map(ipcWarningEnglish), map.warnings);
  });
});

describe('ipcWarningText', () => {
  it('says each note in English as before and in Korean, with its OS text made visible', () => {
    const cases: readonly [IpcWarning, string, RegExp][] = [
      [
        { code: 'tableUnreadable', params: { path: '/proc/locks\n', reason: 'EIO' } },
        '/proc/locks\n could not be read (EIO): what it lists is not shown',
        /^\/proc\/locks\\n을\(를\) 읽을 수 없습니다 \(EIO\)/,
      ],
      [
        { code: 'procsDenied', params: { count: 3 } },
        '3 process(es) could not be read (permission denied): their fds are not shown',
        /^프로세스 3개/,
      ],
      [
        { code: 'procsFailed', params: { count: 1, reason: 'EINVAL' } },
        '1 process(es) could not be read (EINVAL): their fds are not shown',
        /EINVAL/,
      ],
      [
        { code: 'fdsFailed', params: { count: 2, reason: 'ENAMETOOLONG' } },
        '2 fd(s) could not be read fully (ENAMETOOLONG): shown without a path, or left out',
        /fd 2개/,
      ],
      [
        { code: 'mapsFailed', params: { pid: 9, reason: 'EIO' } },
        'maps of pid 9 could not be read (EIO): its shared mappings are not shown',
        /pid 9의 maps/,
      ],
      [
        { code: 'otherNamespace', params: { ns: 'net:[1]', pid: 9 } },
        'sockets of net:[1] read through pid 9; unix peers there are not resolved',
        /net:\[1\]의 소켓/,
      ],
      [{ code: 'ssMissing' }, 'ss not found: unix socket peers unknown', /ss가 없습니다/],
      [{ code: 'ssFailed' }, 'ss failed: unix socket peers unknown', /실패/],
      [{ code: 'ssNotUsed' }, 'ss not used: unix socket peers unknown', /쓰지 않았습니다/],
    ];
    for (const [w, en, ko] of cases) {
      assert.equal(ipcWarningEnglish(w), en);
      assert.equal(ipcWarningText(w, 'en'), visible(en));
      assert.match(ipcWarningText(w, 'ko'), ko);
      assert.ok(
        !/[A-Za-z]{3,}/.test(ipcWarningText(w, 'ko').replace(/\b(ss|maps|pid|fd|net|proc|locks|EIO|EINVAL|ENAMETOOLONG)\b/g, '')),
        ipcWarningText(w, 'ko'),
      );
    }
  });
});

/** Whether the process's main thread is blocked in wait4 (its syscall file starts with that call's number). */
async function inWait4(pid: number): Promise<boolean> {
  try {
    const nr = (await readFile(`/proc/${pid}/syscall`, 'utf8')).split(' ')[0];
    return nr === (process.arch === 'arm64' ? '260' : '61');
  } catch {
    return false;
  }
}

describe('wait facts in Korean', () => {
  it('names the object and says how, for real threads blocked on a pipe, a socket, a child, a timer and a lock', async () => {
    const code = [
      'import os, socket, fcntl, threading, time, signal, tempfile',
      'signal.alarm(30)',
      'r, w = os.pipe(); a, b = socket.socketpair()',
      'f = tempfile.NamedTemporaryFile(); fcntl.lockf(f, fcntl.LOCK_EX)',
      'kid = os.fork()',
      'if kid == 0:',
      "    g = open(f.name, 'w'); fcntl.lockf(g, fcntl.LOCK_EX); os._exit(0)",
      'threading.Thread(target=lambda: os.read(r, 1), daemon=True).start()',
      'threading.Thread(target=lambda: a.recv(1), daemon=True).start()',
      'threading.Thread(target=lambda: time.sleep(30), daemon=True).start()',
      'time.sleep(0.3)',
      'print(kid, f.name, flush=True)',
      'os.waitpid(kid, 0)',
    ].join('\n');
    const child = spawn('python3', ['-c', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lockFile = '';
    try {
      const [kidText, name] = (
        await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())))
      ).split(' ');
      const kid = Number(kidText);
      lockFile = name!;
      const kinds = new Set<string>();
      // The main thread prints, then calls waitpid: until it is inside wait4 it waits for nothing yet.
      for (let tries = 0; tries < 50 && !(await inWait4(child.pid!)); tries++) await new Promise((r) => setTimeout(r, 100));
      for (const pid of [child.pid!, kid]) {
        for (const th of collectWaits({ pid }).threads) {
          const w = th.waitingFor;
          if (!w) continue;
          assert.equal(waitHowText(w, 'en'), visible(w.how));
          if (w.howKey === undefined) continue;
          kinds.add(w.kind);
          const how = waitHowText(w, 'ko');
          assert.ok(!how.includes('{') && /[가-힣]/.test(how), how);
          const object = waitObjectText(w, 'ko');
          if (w.kind === 'pipe') assert.match(object, /^파이프 \d+$/);
          if (w.kind === 'socket') assert.equal(object, '이름 없음 (스트림)');
          if (w.kind === 'posix-lock') assert.match(object, /의 POSIX 쓰기 잠금$/);
          if (w.kind === 'child') assert.equal(object, `자식 ${kid}`);
        }
      }
      assert.deepEqual([...kinds].sort(), ['child', 'pipe', 'posix-lock', 'sleep', 'socket']);
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      if (lockFile) rmSync(lockFile, { force: true });
    }
  });
});

describe('wait how keys', () => {
  it('gives every fact the collector makes a how key (so no display falls back to English)', () => {
    const source = readFileSync(new URL('../../src/core/waits/collect.ts', import.meta.url), 'utf8');
    const facts = [...source.matchAll(/\bfact\(/g)].length - 1; // less the definition
    const keyedFacts = [...source.matchAll(/\bkeyed\(\s*fact\(/g)].length;
    assert.ok(facts > 30, String(facts));
    assert.equal(keyedFacts, facts);
  });
});
