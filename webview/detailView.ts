// The Details tab's data: the selected process's PCB detail, asked for when the selection changes and again
// every few seconds while it stays selected, its environment on demand, and the "Waiting for" section.
import type { DetailResult } from '../src/protocol';
import type { EnvEntry } from '../src/core/detail';
import type { IpcMap } from '../src/core/ipc/model';
import type { ProcessKey } from '../src/core/model';
import { DetailPane } from './detailPane';
import type { HostClient } from './hostClient';
import { t } from './i18n';
import type { ProcessStore } from './store';
import { TAB_DETAILS, type UiState } from './uiState';
import { WaitsSection } from './waitsSection';

const DETAIL_REFRESH_MS = 3000;

export interface DetailViewCallbacks {
  selectPid(pid: number): void;
  persist(): void;
  /** The newest IPC scan (open files name sockets' endpoints from it). */
  ipcMap(): IpcMap | null;
}

export class DetailView {
  pane!: DetailPane;
  private detail: DetailResult | null = null;
  private detailError: string | null = null;
  private loading = false;
  private inFlight = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private env: { key: string; entries: readonly EnvEntry[] | null; error: string | null } | null = null;
  /** Keys of processes the host said run Node.js (from detail replies): the only ones offered "Attach debugger". */
  private readonly nodeRuntimeKeys = new Set<ProcessKey>();
  private readonly waitsSection: WaitsSection;

  constructor(
    private readonly ui: UiState,
    private readonly store: ProcessStore,
    private readonly host: HostClient,
    private readonly cb: DetailViewCallbacks,
  ) {
    this.waitsSection = new WaitsSection({
      ask: (pid, key) => this.host.request({ kind: 'waits', pid, key }),
      selectPid: (pid) => cb.selectPid(pid),
      intervalMs: () => this.ui.settings.ipcRefreshMs,
    });
  }

  /** A new, empty pane (the panel is rebuilt when the language changes; the data is kept here). */
  mount(): HTMLElement {
    this.pane = new DetailPane(
      {
        requestEnv: () => void this.requestEnv(),
        askPageMap: (pid, key, start, end) => this.host.request({ kind: 'pageMap', pid, key, start, end }),
        sectionToggled: (id, open) => {
          if (open) this.ui.closedSections.delete(id);
          else this.ui.closedSections.add(id);
          this.cb.persist();
        },
        redraw: () => this.render(),
      },
      this.ui.closedSections,
    );
    return this.pane.element;
  }

  isNodeRuntime(key: ProcessKey): boolean {
    return this.nodeRuntimeKeys.has(key);
  }

  /** Whether a detail is shown (a new IPC scan then redraws it: open files name sockets from the scan). */
  get hasDetail(): boolean {
    return this.detail !== null;
  }

  /** The selection moved to another process: what was shown is about the old one. */
  forget(): void {
    this.detail = null;
    this.detailError = null;
  }

  /** Asks about the selected process now (and then every few seconds while it stays selected). */
  start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.ui.selectedKey) return;
    this.loading = true;
    void this.fetch();
  }

  /** The Details tab shows (or not) this process: the waits section follows without a redraw. */
  setActive(target: { pid: number; key: ProcessKey } | null, active: boolean): void {
    this.waitsSection.setActive(this.store.backend === 'portable' ? null : target, active);
  }

  render(): void {
    const key = this.ui.selectedKey;
    const p = key ? this.store.get(key) : undefined;
    this.pane.render({
      proc: p,
      exited: key ? this.store.isExited(key) || (!p && this.detail?.key === key) : false,
      detail: this.detail,
      detailError: this.detailError,
      loading: this.loading,
      env: this.env && this.env.key === key ? this.env.entries : null,
      envError: this.env && this.env.key === key ? this.env.error : null,
      unavailableFields: this.store.unavailableFields,
      portable: this.store.backend === 'portable',
      now: this.store.timestamp || Date.now(),
      bootTime: this.store.system?.bootTime ?? null,
      ipc: this.cb.ipcMap(),
    });
    // What a thread waits for is read from /proc: the portable backend shows no such section.
    const asked = p && this.store.backend !== 'portable' ? { pid: p.pid, key: p.key } : null;
    this.waitsSection.show(this.pane.element, asked, this.ui.tab === TAB_DETAILS);
  }

  private async fetch(): Promise<void> {
    const key = this.ui.selectedKey;
    const p = key ? this.store.byKey.get(key) : undefined;
    if (!key || !p || this.store.backend === 'portable') {
      // The portable backend has no PCB to read beyond the table's fields (the pane says so).
      this.loading = false;
      return;
    }
    if (this.inFlight) return;
    this.inFlight = true;
    const reply = await this.host.request({ kind: 'detail', pid: p.pid, key });
    this.inFlight = false;
    if (this.ui.selectedKey !== key) {
      void this.fetch();
      return;
    }
    this.loading = false;
    if (reply.ok && reply.result.key !== key) {
      // A reply about another process (its pid was reused) is never filed under this one.
      this.detail = null;
      this.detailError = t('status.requestFailed', t('request.detail'), t('status.otherProcess'));
    } else if (reply.ok) {
      const d = reply.result;
      this.detail = d;
      this.detailError = null;
      if (d.nodeRuntime) this.nodeRuntimeKeys.add(key);
      else this.nodeRuntimeKeys.delete(key);
    } else {
      this.detailError = t('status.requestFailed', t('request.detail'), reply.error);
    }
    if (this.ui.tab === TAB_DETAILS) this.render();
    clearTimeout(this.timer);
    // Re-read every few seconds while selected (the PCB changes: fds, signals, memory).
    if (this.store.byKey.has(key)) this.timer = setTimeout(() => void this.fetch(), DETAIL_REFRESH_MS);
  }

  private async requestEnv(): Promise<void> {
    const key = this.ui.selectedKey;
    const p = key ? this.store.byKey.get(key) : undefined;
    if (!key || !p) return;
    const reply = await this.host.request({ kind: 'detail', pid: p.pid, key, includeEnv: true });
    if (reply.ok && reply.result.key !== key) {
      this.env = { key, entries: null, error: t('status.requestFailed', t('request.detail'), t('status.otherProcess')) };
    } else if (reply.ok) {
      const d = reply.result;
      this.env = {
        key,
        entries: d.environ ?? null,
        error: d.environ ? null : t('detail.unavailableBecause', d.unavailable.environ ?? '?'),
      };
    } else {
      this.env = { key, entries: null, error: t('status.requestFailed', t('request.detail'), reply.error) };
    }
    if (this.ui.tab === TAB_DETAILS && this.ui.selectedKey === key) this.render();
  }
}
