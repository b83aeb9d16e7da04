// What the context menu, the Delete key and Ctrl+C do: each action is one typed request to the host, whose
// outcome (or failure) is shown in the status bar.
import type { AllowedSignal, MaxSignalTargets, Request, RequestResults, SignalTarget } from '../src/protocol';
import type { ProcessKey } from '../src/core/model';
import { ActionMenu, openReniceDialog, type ActionId } from './actions';
import { visible } from './dom';
import type { HostClient } from './hostClient';
import { hasKey, t } from './i18n';
import type { Row } from './rows';

export interface ActionContext {
  readonly root: HTMLElement;
  readonly host: HostClient;
  showStatus(text: string, error: boolean): void;
  /** How many rows are selected (more than one: the menu acts on the whole selection). */
  selectionSize(): number;
  selectedTargets(): SignalTarget[];
  /** The host said this process runs Node.js (the only ones offered "Attach debugger"). */
  isNodeRuntime(key: ProcessKey): boolean;
  /**
   * Whether the host can act on processes: not on the portable backend, which has no /proc to check a pid
   * still names the process picked (the host refuses there too); its menu then offers copying only.
   */
  canAct(): boolean;
}

export class ActionRunner {
  private menu!: ActionMenu;

  constructor(private readonly ctx: ActionContext) {}

  /** A new menu element (the panel is rebuilt when the language changes). */
  mount(): HTMLElement {
    this.menu = new ActionMenu();
    return this.menu.element;
  }

  openMenu(row: Row, x: number, y: number): void {
    if (this.ctx.selectionSize() > 1 && this.ctx.canAct()) {
      this.menu.openMany(this.ctx.selectedTargets().length, x, y, (action) => void this.run(row, action));
      return;
    }
    const p = row.proc;
    if (!this.ctx.canAct()) {
      this.menu.openCopyOnly(x, y, (action) => void this.run(row, action));
      return;
    }
    this.menu.open(p, x, y, (action) => void this.run(row, action), this.ctx.isNodeRuntime(p.key));
  }

  /** Sends a request; resolves with the result, or null after showing the error. */
  private async call<R extends Request>(request: R): Promise<RequestResults[R['kind']] | null> {
    const reply = await this.ctx.host.request(request);
    if (!reply.ok) {
      const what = `request.${request.kind}`;
      this.ctx.showStatus(t('status.requestFailed', hasKey(what) ? t(what) : request.kind, reply.error), true);
      return null;
    }
    return reply.result;
  }

  async run(row: Row, action: ActionId): Promise<void> {
    const p = row.proc;
    const pid = p.pid;
    const key = p.key;
    const who = `${visible(p.name)} (${pid})`;
    const done = (text: string): void => this.ctx.showStatus(text, false);
    switch (action.kind) {
      case 'signal': {
        const r = await this.call({ kind: 'signal', pid, key, signal: action.signal });
        if (r) done(r.sent ? t('status.signalSent', action.signal, who) : t('status.signalCancelled', action.signal));
        break;
      }
      case 'signalTree':
      case 'signalGroup': {
        const r = await this.call({ kind: action.kind, pid, key, signal: action.signal });
        if (r)
          done(r.confirmed ? t('status.signalMany', action.signal, r.sent, r.total, r.gone) : t('status.signalCancelled', action.signal));
        break;
      }
      case 'signalSelected':
        await this.signalSelected(action.signal);
        break;
      case 'renice':
        openReniceDialog(this.ctx.root, p, (nice) => {
          void this.call({ kind: 'renice', pid, key, nice }).then((r) => {
            if (r) done(t('status.reniced', who, r.nice));
          });
        });
        break;
      case 'copy': {
        const r = await this.call({ kind: 'copy', pid, key, format: action.format });
        if (r) done(t('status.copied'));
        break;
      }
      case 'openTerminal': {
        const r = await this.call({ kind: 'openTerminal', pid, key });
        if (r) done(t('status.openedTerminal', r.cwd));
        break;
      }
      case 'reveal': {
        const r = await this.call({ kind: 'reveal', pid, key, what: action.what });
        if (r) done(t('status.revealed', r.path));
        break;
      }
      case 'attachDebugger': {
        const r = await this.call({ kind: 'attachDebugger', pid, key });
        if (r) done(t('status.debuggerStarted', who));
        break;
      }
    }
  }

  /**
   * One request for the whole selection: the host confirms once, listing the processes, then signals each by
   * its own identity. A selection beyond the host's per-request bound goes in parts, each confirmed.
   */
  private async signalSelected(signal: AllowedSignal): Promise<void> {
    const targets = this.ctx.selectedTargets();
    const max: MaxSignalTargets = 4096;
    let sent = 0;
    let total = 0;
    let gone = 0;
    for (let i = 0; i < targets.length; i += max) {
      const r = await this.call({ kind: 'signalMany', targets: targets.slice(i, i + max), signal });
      if (!r) return;
      if (!r.confirmed) {
        this.ctx.showStatus(t('status.signalCancelled', signal), false);
        return;
      }
      sent += r.sent;
      total += r.total;
      gone += r.gone;
    }
    if (total > 0) this.ctx.showStatus(t('status.signalMany', signal, sent, total, gone), false);
  }
}
