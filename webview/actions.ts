// Actions on a process: the context menu (vscode-context-menu) and the renice dialog.
import type { AllowedSignal } from '../src/protocol';
import type { ProcessInfo } from '../src/core/model';
import { el, custom, visible } from './dom';
import { t } from './i18n';

// The webview imports only types from the protocol; this copy of ALLOWED_SIGNALS is checked against the
// protocol's type in both directions, so it cannot drift (the host re-validates every signal anyway).
export const SIGNALS = [
  'SIGTERM',
  'SIGKILL',
  'SIGINT',
  'SIGHUP',
  'SIGSTOP',
  'SIGCONT',
  'SIGUSR1',
  'SIGUSR2',
] as const satisfies readonly AllowedSignal[];
type MissingSignal = Exclude<AllowedSignal, (typeof SIGNALS)[number]>;
const _allSignalsListed: MissingSignal extends never ? true : false = true;
void _allSignalsListed;
/** The signal the Delete key and the tree and group entries send. */
const TERM = SIGNALS[0];

export type ActionId =
  | { readonly kind: 'signal'; readonly signal: AllowedSignal }
  | { readonly kind: 'signalTree' | 'signalGroup'; readonly signal: AllowedSignal }
  /** The signal to every selected process (a multi-selection). */
  | { readonly kind: 'signalSelected'; readonly signal: AllowedSignal }
  | { readonly kind: 'renice' }
  | { readonly kind: 'copy'; readonly format: 'ps' | 'json' }
  | { readonly kind: 'openTerminal' }
  | { readonly kind: 'reveal'; readonly what: 'exe' | 'cwd' }
  | { readonly kind: 'attachDebugger' };

interface MenuEntry {
  label?: string;
  keybinding?: string;
  value?: string;
  separator?: boolean;
}

export class ActionMenu {
  readonly element: HTMLElement & { data: MenuEntry[]; show: boolean };
  private onChoose: ((a: ActionId) => void) | null = null;
  private restoreFocus: HTMLElement | null = null;

  constructor() {
    this.element = custom('vscode-context-menu', 'action-menu') as HTMLElement & { data: MenuEntry[]; show: boolean };
    this.element.addEventListener('vsc-context-menu-select', (e) => {
      const value = (e as CustomEvent<{ value: string }>).detail.value;
      const action = decode(value);
      const choose = this.onChoose;
      this.close();
      if (action && choose) choose(action);
    });
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
  }

  /** `nodeRuntime`: the host said this process runs Node.js (decided from its executable, not its name). */
  open(p: ProcessInfo, x: number, y: number, choose: (a: ActionId) => void, nodeRuntime: boolean): void {
    this.onChoose = choose;
    this.restoreFocus = document.activeElement as HTMLElement | null;
    const data: MenuEntry[] = [];
    for (const s of SIGNALS) data.push({ label: t('action.signal', s), value: `signal:${s}`, keybinding: s === 'SIGTERM' ? 'Delete' : '' });
    if (!p.kernelThread) {
      data.push({ separator: true });
      data.push({ label: t('action.signalTree', TERM), value: `signalTree:${TERM}` });
      data.push({ label: t('action.signalGroup', TERM), value: `signalGroup:${TERM}` });
    }
    data.push({ separator: true });
    data.push({ label: t('action.renice'), value: 'renice' });
    data.push({ separator: true });
    data.push({ label: t('action.copyPs'), value: 'copy:ps', keybinding: 'Ctrl+C' });
    data.push({ label: t('action.copyJson'), value: 'copy:json' });
    data.push({ separator: true });
    if (!p.kernelThread) {
      data.push({ label: t('action.openTerminal'), value: 'openTerminal' });
      data.push({ label: t('action.revealExe'), value: 'reveal:exe' });
      data.push({ label: t('action.revealCwd'), value: 'reveal:cwd' });
    }
    if (nodeRuntime) data.push({ label: t('action.attachDebugger'), value: 'attachDebugger' });
    this.showAt(data, x, y);
  }

  /**
   * The portable backend's menu: copying as JSON, and a line saying why nothing else is offered (a ps -eLF
   * line needs columns only /proc gives: threads, CPU, memory, processor, tty).
   */
  openCopyOnly(x: number, y: number, choose: (a: ActionId) => void): void {
    this.onChoose = choose;
    this.restoreFocus = document.activeElement as HTMLElement | null;
    this.showAt(
      [
        { label: t('action.copyJson'), value: 'copy:json', keybinding: 'Ctrl+C' },
        { separator: true },
        { label: t('action.needsProcfs'), value: 'none' },
      ],
      x,
      y,
    );
  }

  /** The menu for a multi-selection: each signal, to all `count` selected processes at once. */
  openMany(count: number, x: number, y: number, choose: (a: ActionId) => void): void {
    this.onChoose = choose;
    this.restoreFocus = document.activeElement as HTMLElement | null;
    const data: MenuEntry[] = SIGNALS.map((s) => ({
      label: t('action.signalSelected', s, count),
      value: `signalSelected:${s}`,
      keybinding: s === TERM ? 'Delete' : '',
    }));
    this.showAt(data, x, y);
  }

  private showAt(data: MenuEntry[], x: number, y: number): void {
    this.element.data = data;
    // Position by CSSOM (allowed by the CSP); keep the menu inside the window.
    const maxX = Math.max(0, window.innerWidth - 260);
    const maxY = Math.max(0, window.innerHeight - data.length * 24 - 10);
    this.element.style.left = `${Math.min(x, maxX)}px`;
    this.element.style.top = `${Math.min(y, maxY)}px`;
    this.element.show = true;
    requestAnimationFrame(() => this.element.focus());
  }

  get isOpen(): boolean {
    return this.element.show;
  }

  close(): void {
    this.element.show = false;
    this.onChoose = null;
    this.restoreFocus?.focus();
    this.restoreFocus = null;
  }
}

function decode(value: string): ActionId | null {
  const [kind, arg] = value.split(':');
  switch (kind) {
    case 'signal':
    case 'signalTree':
    case 'signalGroup':
    case 'signalSelected':
      return (SIGNALS as readonly string[]).includes(arg ?? '') ? { kind, signal: arg as AllowedSignal } : null;
    case 'renice':
      return { kind: 'renice' };
    case 'copy':
      return { kind: 'copy', format: arg === 'json' ? 'json' : 'ps' };
    case 'openTerminal':
      return { kind: 'openTerminal' };
    case 'reveal':
      return { kind: 'reveal', what: arg === 'exe' ? 'exe' : 'cwd' };
    case 'attachDebugger':
      return { kind: 'attachDebugger' };
    default:
      return null;
  }
}

/** A small modal-less dialog asking for a nice value. */
export function openReniceDialog(host: HTMLElement, p: ProcessInfo, apply: (nice: number) => void): void {
  host.querySelector('.renice-dialog')?.remove();
  // Where the keyboard was (the row, the menu's row): it goes back there when the dialog closes.
  const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const dialog = el('div', 'renice-dialog');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-label', t('action.reniceTitle', `${visible(p.name)} (${p.pid})`));
  const label = el('label', 'renice-label', t('action.reniceTitle', `${visible(p.name)} (${p.pid})`));
  const input = el('input', 'renice-input');
  input.type = 'number';
  input.min = '-20';
  input.max = '19';
  input.step = '1';
  input.value = String(p.nice);
  input.id = 'renice-value';
  label.htmlFor = input.id;
  const ok = custom('vscode-button', '', t('action.apply'));
  const cancel = custom('vscode-button', '', t('action.cancel'));
  cancel.setAttribute('secondary', '');
  const close = (): void => {
    dialog.remove();
    // (Opened from the context menu, which is gone by now: then back to the process table.)
    const back = returnFocus?.isConnected ? returnFocus : host.querySelector<HTMLElement>('#process-grid');
    back?.focus();
  };
  const submit = (): void => {
    const n = Number(input.value);
    if (!Number.isInteger(n) || n < -20 || n > 19) {
      input.setCustomValidity('-20 … 19');
      input.reportValidity();
      return;
    }
    close();
    apply(n);
  };
  ok.addEventListener('click', submit);
  cancel.addEventListener('click', close);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') submit();
  });
  // Escape closes it from any of its controls (the buttons too), and goes no further.
  dialog.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    close();
  });
  const buttons = el('div', 'dialog-buttons');
  buttons.append(ok, cancel);
  dialog.append(label, input, buttons);
  host.append(dialog);
  input.focus();
  input.select();
}
