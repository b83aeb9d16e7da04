// The panel's page-map question, answered in its worker: the page states of one mapping of the process with
// this key. The identity is checked before and after the read, so pages read from a successor that took the
// pid meanwhile are never sent under the process the user picked.
import { ProcScopeError } from '../core/errors';
import { readPageMap, type PageMapResult } from '../core/pagemap';
import { checkIdentity, identityFromKey } from '../extension/processIdentity';

export function pageMapOf(pid: number, key: string, start: string, end: string, procRoot = '/proc'): PageMapResult {
  const id = identityFromKey(key);
  if (!id || id.pid !== pid) throw new ProcScopeError('BAD_REQUEST', `not a key of process ${pid}: ${key}`);
  const gone = (): ProcScopeError =>
    new ProcScopeError(
      'NO_SUCH_PROCESS',
      `process ${key} has exited${checkIdentity(id, procRoot) === 'reused' ? `; pid ${pid} is now another process` : ''}`,
    );
  if (checkIdentity(id, procRoot) !== 'same') throw gone();
  const result = readPageMap(pid, start, end, { procRoot });
  if (checkIdentity(id, procRoot) !== 'same') throw gone();
  return result;
}
