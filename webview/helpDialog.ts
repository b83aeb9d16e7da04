// The in-panel keyboard help (`?`): a small modal listing every key the panel answers to.
import { el } from './dom';
import { t, type MessageKey } from './i18n';

/** The rows of the keyboard help, in order (each has help.key.<id> and help.<id> messages). */
const HELP_KEYS = [
  'flat',
  'move',
  'ends',
  'page',
  'expand',
  'activate',
  'multi',
  'filter',
  'find',
  'recent',
  'escape',
  'copy',
  'delete',
  'menu',
  'sort',
  'resize',
  'zoom',
  'help',
] as const;

export class HelpDialog {
  /** Where focus goes back to when the help closes. */
  private returnFocus: HTMLElement | null = null;

  constructor(private readonly root: HTMLElement) {}

  get isOpen(): boolean {
    return this.root.querySelector('.help-overlay') !== null;
  }

  toggle(): void {
    const open = this.root.querySelector<HTMLElement>('.help-overlay');
    if (open) {
      open.remove();
      this.returnFocus?.focus();
      this.returnFocus = null;
      return;
    }
    this.returnFocus = document.activeElement as HTMLElement | null;
    const overlay = el('div', 'help-overlay');
    const dialog = el('div', 'help-dialog');
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', 'help-title');
    const title = el('div', 'help-title', t('help.title'));
    title.id = 'help-title';
    const table = el('table', 'help-table');
    for (const k of HELP_KEYS) {
      const tr = el('tr');
      const keyCell = el('td', 'help-key');
      keyCell.append(el('kbd', '', t(`help.key.${k}` as MessageKey)));
      tr.append(keyCell, el('td', '', t(`help.${k}` as MessageKey)));
      table.append(tr);
    }
    const close = el('button', 'chip-button help-close', t('help.close'));
    close.type = 'button';
    close.addEventListener('click', () => this.toggle());
    dialog.append(title, table, close);
    // Modal: Tab stays inside (Close is its one control) instead of reaching the panel behind the backdrop.
    dialog.addEventListener('keydown', (e) => {
      if (e.key !== 'Tab') return;
      e.preventDefault();
      close.focus();
    });
    overlay.append(dialog);
    // A click on the backdrop (not the dialog) closes it; Escape too (the panel's key handler).
    overlay.addEventListener('click', (e) => {
      if (e.target === overlay) this.toggle();
    });
    this.root.append(overlay);
    close.focus();
  }
}
