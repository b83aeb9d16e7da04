// The entry of `procscope ps`'s second reading thread (see readPsTable in ps.ts): bundled on its own into
// PS_WORKER_SOURCE (psWorkerSource.ts), or required through tsx when run from the sources.
import { workerMain } from './psWorker';

workerMain();
