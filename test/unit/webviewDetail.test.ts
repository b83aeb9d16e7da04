// The detail pane's pure pieces, without a browser: limits and CPU time in human units, open files' types,
// what a socket connects (from an IPC scan recorded on a real machine), and where a state sits in the
// five-state model.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ProcessDetail } from '../../src/core/detail';
import type { Channel, IpcMap } from '../../src/core/ipc/model';
import { fdTypeText, formatMs, limitName, limitText } from '../../webview/detailFields';
import { socketEndpoint } from '../../webview/openFiles';
import { modelStates } from '../../webview/pcbDrawings';

const FIXTURES = join(__dirname, '..', 'webview', 'fixtures');
const detail = (JSON.parse(readFileSync(join(FIXTURES, 'detail.json'), 'utf8')) as { detail: ProcessDetail }).detail;
const ipc = JSON.parse(readFileSync(join(FIXTURES, 'ipc.json'), 'utf8')) as IpcMap;

describe('detail pane: limits', () => {
  const cases: { name: string; soft: number | 'unlimited'; hard: number | 'unlimited'; units: string | null; text: string }[] = [
    { name: 'sizes in binary units', soft: 8388608, hard: 'unlimited', units: 'bytes', text: '8.0 MiB / unlimited' },
    { name: 'a zero size', soft: 0, hard: 'unlimited', units: 'bytes', text: '0 B / unlimited' },
    { name: 'counts grouped, with their unit', soft: 96365, hard: 96365, units: 'processes', text: '96,365 / 96,365 processes' },
    { name: 'whole milliseconds instead of microseconds', soft: 200000, hard: 'unlimited', units: 'us', text: '200 ms / unlimited' },
    { name: 'microseconds that are not whole milliseconds', soft: 1500, hard: 2000, units: 'us', text: '1,500 / 2,000 µs' },
    { name: 'no unit', soft: 0, hard: 0, units: null, text: '0 / 0' },
    { name: 'a unit this version does not know, as the kernel wrote it', soft: 3, hard: 4, units: 'widgets', text: '3 / 4 widgets' },
  ];
  for (const c of cases) it(`writes ${c.name}`, () => assert.equal(limitText(c), c.text));

  it('names every limit a real process had in the UI language', () => {
    assert.ok(detail.limits && detail.limits.length >= 16);
    for (const l of detail.limits) assert.notEqual(limitName(l.name), l.name, l.name);
    assert.equal(limitName('Max open files'), 'Open files');
    assert.equal(limitName('Max future thing'), 'Max future thing');
  });
});

describe('detail pane: formatters', () => {
  it('writes CPU time in ms below a second, else in seconds', () => {
    assert.equal(formatMs(0), '0 ms');
    assert.equal(formatMs(999), '999 ms');
    assert.equal(formatMs(1000), '1.00 s');
    assert.equal(formatMs(61234), '61.23 s');
  });

  it('names open files’ types and modes, and keeps what the model does not name', () => {
    assert.equal(fdTypeText('pipe', 'write'), 'pipe (write)');
    assert.equal(fdTypeText('socket', 'readwrite'), 'socket (read/write)');
    assert.equal(fdTypeText('dev', null), 'device');
    assert.equal(fdTypeText('weird', 'sideways'), 'weird (sideways)');
    for (const f of detail.fds ?? []) assert.doesNotMatch(fdTypeText(f.type, f.mode), /fdType\.|fdMode\./);
  });
});

describe('detail pane: socket endpoints', () => {
  const unix = ipc.channels.find((c) => c.kind === 'unix' && c.endpoints.length === 2 && c.path === null)!;
  const tcp = ipc.channels.find((c) => c.kind === 'tcp')!;

  it('names the process at the other end of an unnamed unix socket', () => {
    if (unix.kind !== 'unix') throw new Error('the recording holds an unnamed unix socket pair');
    const [a, b] = unix.endpoints;
    assert.equal(socketEndpoint(unix, a!.pid), `unix (unnamed) ↔ ${b!.processName} (${b!.pid}) · ${unix.state}`);
  });

  it('writes a TCP socket by its addresses and state', () => {
    if (tcp.kind !== 'tcp') throw new Error('the recording holds a TCP socket');
    assert.equal(socketEndpoint(tcp, tcp.endpoints[0]!.pid), `TCP ${tcp.local} ↔ ${tcp.remote} · ${tcp.state}`);
  });

  it('lists three peers at most and counts the rest', () => {
    const own = unix.endpoints[0]!;
    const peers = [1, 2, 3, 4, 5].map((n) => ({ ...unix.endpoints[1]!, pid: 9000 + n, processName: `peer${n}` }));
    const wide = { ...unix, endpoints: [own, ...peers] } as Channel;
    assert.match(socketEndpoint(wide, own.pid)!, /peer1 \(9001\), peer2 \(9002\), peer3 \(9003\) and 2 more/);
  });

  it('shows a path with hidden characters escaped, and nothing for a channel that is not a socket', () => {
    const named = { ...unix, path: '/run/a\u202Eb.sock' } as Channel;
    assert.match(socketEndpoint(named, unix.endpoints[0]!.pid)!, /\/run\/a\\u202Eb\.sock/);
    const pipe = ipc.channels.find((c) => c.kind === 'pipe')!;
    assert.equal(socketEndpoint(pipe, pipe.endpoints[0]!.pid), null);
  });
});

describe('detail pane: five-state model', () => {
  const cases: [string, string[]][] = [
    ['R', ['ready', 'running']],
    ['S', ['blocked']],
    ['D', ['blocked']],
    ['T', ['blocked']],
    ['t', ['blocked']],
    ['I', ['blocked']],
    ['Z', ['terminated']],
    ['X', ['terminated']],
    ['?', []],
  ];
  for (const [state, want] of cases)
    it(`puts ${state} in ${want.join(' and ') || 'no box'}`, () => assert.deepEqual(modelStates(state), want));
});
