// The filter's language beyond the local fields: look-up terms (port:, file:, lock:, shm:, shmid:, thread:,
// tstate:) parsed into what the host is asked, words it cannot ask told apart, quoted values with spaces, the
// rows narrowed by the host's answer (by process identity, not pid), and the recent queries kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessInfo } from '../../src/core/model';
import { MAX_LOOKUP_TERMS } from '../../src/shared/lookupLimits';
import { lookupSignature, MAX_RECENT, needsHost, parseFilter, rememberQuery, splitWords } from '../../webview/filterQuery';
import { buildFlatRows, buildRows, matches, type ProcessRow, type RowOptions } from '../../webview/rows';
import { UiState } from '../../webview/uiState';
import { fakeProcess, rowOptions } from './fakeProcess';

describe('filter look-up terms', () => {
  const cases: { text: string; lookups: unknown[]; terms?: unknown[]; problems?: unknown[] }[] = [
    { text: 'port:8080', lookups: [{ kind: 'port', port: 8080 }] },
    {
      text: 'PORT:1 port:65535',
      lookups: [
        { kind: 'port', port: 1 },
        { kind: 'port', port: 65535 },
      ],
    },
    { text: 'file:/etc/hosts', lookups: [{ kind: 'file', path: '/etc/hosts' }] },
    // The path keeps its case and its colons; quotes let it hold spaces.
    { text: 'file:/Data/a:b', lookups: [{ kind: 'file', path: '/Data/a:b' }] },
    {
      text: 'file:"/tmp/my dir/x.txt" node',
      lookups: [{ kind: 'file', path: '/tmp/my dir/x.txt' }],
      terms: [{ field: 'any', value: 'node' }],
    },
    { text: 'lock:/run/lock/app.lock', lookups: [{ kind: 'lock', path: '/run/lock/app.lock' }] },
    { text: 'shm:/psm_1', lookups: [{ kind: 'shm', name: 'psm_1' }] },
    { text: 'shmid:32769', lookups: [{ kind: 'shmid', shmid: 32769 }] },
    { text: 'thread:Worker-2', lookups: [{ kind: 'thread', name: 'Worker-2' }] },
    { text: 'tstate:D', lookups: [{ kind: 'tstate', states: 'D' }] },
    // state: stays the process state, matched here; tstate: goes to the host.
    { text: 'state:S tstate:DR', lookups: [{ kind: 'tstate', states: 'DR' }], terms: [{ field: 'state', value: 'S' }] },
    // A field with nothing after it (still being typed) narrows nothing.
    { text: 'port: file:', lookups: [] },
    { text: 'port:http', lookups: [], problems: [{ kind: 'badPort', text: 'port:http' }] },
    { text: 'port:0', lookups: [], problems: [{ kind: 'badPort', text: 'port:0' }] },
    { text: 'port:70000', lookups: [], problems: [{ kind: 'badPort', text: 'port:70000' }] },
    { text: 'file:etc/passwd', lookups: [], problems: [{ kind: 'relativePath', text: 'file:etc/passwd' }] },
    { text: 'lock:./x', lookups: [], problems: [{ kind: 'relativePath', text: 'lock:./x' }] },
    { text: 'shm:a/b', lookups: [], problems: [{ kind: 'badShm', text: 'shm:a/b' }] },
    { text: 'shm:..', lookups: [], problems: [{ kind: 'badShm', text: 'shm:..' }] },
    { text: 'shmid:-1', lookups: [], problems: [{ kind: 'badShmid', text: 'shmid:-1' }] },
    { text: 'tstate:D1', lookups: [], problems: [{ kind: 'badState', text: 'tstate:D1' }] },
    { text: `thread:${'x'.repeat(65)}`, lookups: [], problems: [{ kind: 'tooLong', text: `thread:${'x'.repeat(65)}` }] },
    // One request asks at most MAX_LOOKUP_TERMS terms; a word past them is told apart, not dropped silently.
    {
      text: Array.from({ length: MAX_LOOKUP_TERMS + 1 }, (_, i) => `port:${i + 1}`).join(' '),
      lookups: Array.from({ length: MAX_LOOKUP_TERMS }, (_, i) => ({ kind: 'port', port: i + 1 })),
      problems: [{ kind: 'tooMany', text: `port:${MAX_LOOKUP_TERMS + 1}` }],
    },
  ];
  for (const c of cases) {
    it(`parses ${JSON.stringify(c.text)}`, () => {
      const f = parseFilter(c.text);
      assert.deepEqual(f.lookups, c.lookups);
      assert.deepEqual(f.terms, c.terms ?? []);
      assert.deepEqual(f.problems, c.problems ?? []);
      assert.equal(needsHost(f), c.lookups.length > 0 || (c.problems ?? []).length > 0);
    });
  }

  it('keeps each look-up word as typed, for the notes that name it', () => {
    assert.deepEqual(parseFilter('node port:80 file:"/a b"').lookupTexts, ['port:80', 'file:"/a b"']);
  });

  it('splits words on blanks outside quotes only, and drops the quotes', () => {
    assert.deepEqual(
      splitWords(' a  "b c"d e"" ').map((w) => w.word),
      ['a', 'b cd', 'e'],
    );
  });

  it('gives the same terms the same signature, and none without look-up terms', () => {
    assert.equal(lookupSignature(parseFilter('node user:root')), '');
    assert.equal(lookupSignature(parseFilter('port:80  node')), lookupSignature(parseFilter('python port:80')));
    assert.notEqual(lookupSignature(parseFilter('port:80')), lookupSignature(parseFilter('port:81')));
  });
});

describe('rows narrowed by a look-up', () => {
  const root = fakeProcess(1, { ppid: 0, name: 'init' });
  const server = fakeProcess(20, { ppid: 1, name: 'server' });
  const other = fakeProcess(21, { ppid: 1, name: 'server' });
  const byPid = new Map([root, server, other].map((p) => [p.pid, p]));
  const options = (filter: string, found: ReadonlyMap<string, string> | null): RowOptions => rowOptions({ filter, found });
  const shown = (rows: readonly { kind: string }[]): string[] =>
    rows
      .filter((r): r is ProcessRow => r.kind === 'process')
      .map((r) => `${r.proc.pid}${r.context ? ' (context)' : ''}${r.found ? `: ${r.found}` : ''}`);

  it('keeps only the found processes (their ancestors as context), each with why it was found', () => {
    const found = new Map([[server.key, 'listens on TCP 0.0.0.0:8080']]);
    assert.deepEqual(shown(buildRows([root, server, other], byPid, options('port:8080', found))), [
      '1 (context)',
      '20: listens on TCP 0.0.0.0:8080',
    ]);
    assert.deepEqual(shown(buildFlatRows([root, server, other], byPid, options('port:8080', found))), ['20: listens on TCP 0.0.0.0:8080']);
  });

  it('matches by identity: a found key of an earlier process with the same pid matches nothing', () => {
    const earlier = new Map([[`${server.pid}@${server.startTicks + 1}`, 'listens on TCP :8080']]);
    assert.deepEqual(shown(buildRows([root, server, other], byPid, options('port:8080', earlier))), []);
  });

  it('shows nothing while the answer is pending, and nothing for a word that cannot be asked', () => {
    assert.deepEqual(shown(buildRows([root, server, other], byPid, options('port:8080', null))), []);
    assert.deepEqual(shown(buildRows([root, server, other], byPid, options('port:http', new Map([[server.key, 'x']])))), []);
  });

  it('needs every term: a local term and the look-up together', () => {
    const found = new Map([
      [server.key, 'a'],
      [other.key, 'b'],
    ]);
    const p = (x: ProcessInfo, text: string): boolean => matches(x, parseFilter(text), new Set(), found);
    assert.equal(p(server, 'pid:20 port:80'), true);
    assert.equal(p(other, 'pid:20 port:80'), false);
    assert.equal(p(root, 'port:80'), false);
    // Without look-up terms the answer is not consulted.
    assert.equal(p(root, 'init'), true);
  });

  it('ignores an answer while the filter holds no look-up term (a reason is never shown for a local filter)', () => {
    const found = new Map([[server.key, 'listens on TCP :8080']]);
    assert.deepEqual(shown(buildRows([root, server, other], byPid, options('server', found))), ['1 (context)', '20', '21']);
    assert.deepEqual(shown(buildFlatRows([root, server, other], byPid, options('server', found))), ['20', '21']);
  });
});

describe('recent queries', () => {
  it('puts the used query first, once, trimmed; keeps no blank one and at most MAX_RECENT', () => {
    assert.deepEqual(rememberQuery(['a', 'b'], ' b '), ['b', 'a']);
    assert.deepEqual(rememberQuery(['a'], '   '), ['a']);
    const many = Array.from({ length: MAX_RECENT }, (_, i) => `q${i}`);
    assert.deepEqual(rememberQuery(many, 'new'), ['new', ...many.slice(0, MAX_RECENT - 1)]);
  });

  it('are kept in the saved UI state and read back, dropping entries that are not texts', () => {
    const ui = new UiState();
    ui.recentFilters = ['port:8080', 'thread:worker'];
    const saved = JSON.parse(JSON.stringify(ui.toPersisted(null))) as Record<string, unknown>;
    assert.deepEqual(saved.recentFilters, ['port:8080', 'thread:worker']);
    const back = new UiState();
    back.restore({ ...saved, recentFilters: ['port:1', 7, null, '', 'x'] as never });
    assert.deepEqual(back.recentFilters, ['port:1', 'x']);
    const old = new UiState();
    old.restore({});
    assert.deepEqual(old.recentFilters, []);
  });
});
