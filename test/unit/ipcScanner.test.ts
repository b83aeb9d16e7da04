// IpcScanner owns what it remembers between scans. A procfs tree built from real /proc captures (two processes
// attached to one SysV segment and sharing a writable file mapping) is scanned, then its maps change: the
// scanner that cached the old maps may still show them (mapsMaxAgeMs), a new scanner must not.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { IpcScanner, scanIpcSync, type ScanOptions } from '../../src/core/ipc/scan';
import type { IpcMap } from '../../src/core/ipc/model';

const FIX = join(__dirname, '..', 'fixtures', 'proc', 'ipc');
/** The processes the fixture's SysV segment 20 is attached to (sysvipc/shm: nattch 2). */
const PIDS = [5127, 5128];
const SHARED_FILE = '/tmp/psfx-shared.map';

describe('IpcScanner', () => {
  let root: string;
  const sysvMaps = readFileSync(join(FIX, 'maps_sysv_shm'), 'utf8');
  const sharedLine = readFileSync(join(FIX, 'maps_shared_file'), 'utf8')
    .split('\n')
    .find((l) => l.endsWith(SHARED_FILE))!;
  const writeMaps = (withSharedFile: boolean): void => {
    for (const pid of PIDS)
      writeFileSync(join(root, String(pid), 'maps'), withSharedFile ? `${sysvMaps.trimEnd()}\n${sharedLine}\n` : sysvMaps);
  };
  // `auto` maps with a long cache life: the SysV attachment makes the scan read maps, and its attach count
  // matches the cache, so a scanner that remembers the maps keeps using them.
  const options = (): ScanOptions => ({ procRoot: root, pids: PIDS, useSs: false, maps: 'auto', mapsMaxAgeMs: 3_600_000 });
  const sharedFile = (map: IpcMap): number[] | undefined => {
    const c = map.channels.find((x) => x.kind === 'posix-shm' && x.sharedFile === true && x.path === SHARED_FILE);
    return c?.endpoints.map((e) => e.pid);
  };

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'procscope-scanner-'));
    copyFileSync(join(FIX, 'stat'), join(root, 'stat'));
    mkdirSync(join(root, 'sysvipc'));
    copyFileSync(join(FIX, 'sysvipc', 'shm'), join(root, 'sysvipc', 'shm'));
    for (const pid of PIDS) mkdirSync(join(root, String(pid), 'fd'), { recursive: true });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a new scanner does not see the maps another scanner cached', () => {
    writeMaps(true);
    const first = new IpcScanner();
    assert.deepEqual(sharedFile(first.scan(options())), PIDS, 'both processes map the file');
    const attached = first.scan(options()).channels.find((c) => c.kind === 'sysv-shm' && c.shmid === 20)!;
    assert.deepEqual(
      attached.endpoints.filter((e) => e.role === 'attached').map((e) => e.pid),
      PIDS,
    );

    writeMaps(false);
    assert.deepEqual(sharedFile(first.scan(options())), PIDS, 'the first scanner answers from its cache (the test relies on one)');
    assert.equal(sharedFile(new IpcScanner().scan(options())), undefined, 'a second scanner reads the maps as they are now');
    assert.equal(sharedFile(scanIpcSync(options())), undefined, 'nor does the shared scanner behind scanIpcSync see it');
  });
});
