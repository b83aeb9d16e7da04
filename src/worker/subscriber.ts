// What the worker keeps for one subscriber (the panel, the debug tracker) and how it answers each request
// kind for it. The panel's ticks and the debug tracker's polls each go through a sampler of their own: a
// sampler's CPU% is the delta since ITS previous poll and it reads threads only for the pids asked for, so
// sharing one would change each subscriber's CPU% windows and thread rows. The same class answers in the
// worker thread and, where there is no worker (the portable backend), in-thread.
import { readProcessDetail } from '../core/detail';
import type { IpcMap } from '../core/ipc/model';
import { IpcScanner } from '../core/ipc/scan';
import type { KnownProcess } from '../core/ipc/scanner';
import type { ProcessSource } from '../core/sampler';
import { labFactsReader } from './labFacts';
import { pageMapOf } from './pageMapQuery';
import { lookupProcesses } from './lookup';
import type { WorkerKind, WorkerRequest, WorkerResults } from './protocol';
import { TickEngine } from './tickEngine';
import { recentIpc, WaitsQuery } from './waitsQuery';

export type WorkerHandlers = { readonly [K in WorkerKind]: (request: WorkerRequest<K>) => WorkerResults[K] | Promise<WorkerResults[K]> };

export class Subscriber {
  private engine: TickEngine | undefined;
  private poller: ProcessSource | undefined;
  private readonly waitsQuery = new WaitsQuery();
  /** This subscriber's own IPC caches (ss answer, pipe directions, shared mappings), kept between its scans. */
  private readonly ipcScanner = new IpcScanner();
  /** The labs' wait facts (with their own probe cache) and exit statuses. */
  private readonly labFacts = labFactsReader();
  /** The newest IPC scan: the cycle look that follows it at the IPC cadence reuses its fd walk. */
  private lastIpc: IpcMap | undefined;

  /** `newSource`: a fresh sampler, made the first time this subscriber ticks or polls. */
  constructor(private readonly newSource: () => ProcessSource) {}

  readonly handlers: WorkerHandlers = {
    tick: (request) => this.tickEngine().tick(request.tick),
    ipc: () => {
      this.lastIpc = this.ipcScanner.scan({ knownProcesses: this.knownProcesses() });
      return this.lastIpc;
    },
    detail: (request) =>
      readProcessDetail(request.pid, { includeEnv: request.includeEnv, ...(request.key !== undefined ? { key: request.key } : {}) }),
    waits: (request) => this.waitsQuery.forProcess(request.pid, request.key, () => this.recentOrNewIpc()),
    history: (request) => this.engine?.historyLines(request.producer) ?? null,
    historyIndex: (request) => this.engine?.historyIndex(request.threads ?? []) ?? null,
    historyAt: (request) => this.engine?.historyAt(request.at) ?? null,
    labFacts: (request) => this.labFacts(request.waitPids, request.exitPids),
    waitsOverview: (request) => this.waitsQuery.overview(request.pids, this.knownProcesses(), () => this.recentOrNewIpc()),
    poll: (request) => {
      this.poller ??= this.newSource();
      return this.poller.poll({ threads: request.threads });
    },
    release: () => {
      this.dispose();
      return null;
    },
    pageMap: (request) => pageMapOf(request.pid, request.key, request.start, request.end),
    lookup: (request) => lookupProcesses(request.terms),
  };

  dispose(): void {
    this.engine?.dispose();
    this.engine = undefined;
    this.poller?.dispose();
    this.poller = undefined;
    this.ipcScanner.dispose(); // closes the schedstat files it keeps open; it stays usable
  }

  /**
   * For a waits look that follows a descriptor: the newest scan while recent, else a new one through this
   * subscriber's incremental scanner (kept for the next look). The panel scans only while something shows the
   * IPC map, so between those a look that needs one makes it, at most once per IPC_REUSE_MS.
   */
  private recentOrNewIpc(): IpcMap {
    const recent = recentIpc(this.lastIpc);
    if (recent) return recent;
    this.lastIpc = this.ipcScanner.scan({ knownProcesses: this.knownProcesses() });
    return this.lastIpc;
  }

  /** pid -> name and identity from this subscriber's newest tick (none before its first). */
  private knownProcesses(): Map<number, KnownProcess> {
    return this.engine?.knownProcesses() ?? new Map();
  }

  private tickEngine(): TickEngine {
    this.engine ??= new TickEngine(this.newSource());
    return this.engine;
  }
}
