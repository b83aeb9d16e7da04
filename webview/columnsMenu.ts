// The column chooser: a checkbox per column, applied and remembered as it is ticked.
import { el, custom } from './dom';
import { COLUMNS, DEFAULT_COLUMNS, FIXED_COLUMNS } from './columns';
import { t } from './i18n';

export class ColumnsMenu {
  /** The listener that closes the open menu on a press outside it. */
  private outside: ((e: Event) => void) | null = null;

  /** `shown`: the columns visible now; `apply` is called with the new set at each tick. */
  constructor(
    private readonly root: HTMLElement,
    private readonly shown: () => readonly string[],
    private readonly apply: (columns: readonly string[]) => void,
    /** Back to every column's default width (the widths the user dragged are forgotten). */
    private readonly resetWidths: () => void,
  ) {}

  open(x: number, y: number): void {
    this.close();
    const returnFocus = document.activeElement as HTMLElement | null;
    const menu = el('div', 'columns-menu');
    menu.setAttribute('role', 'dialog');
    menu.setAttribute('aria-label', t('columns.title'));
    menu.append(el('div', 'columns-title', t('columns.title')));
    const shown = new Set(this.shown());
    for (const c of COLUMNS) {
      const fixed = FIXED_COLUMNS.includes(c.column);
      const box = custom('vscode-checkbox', 'column-choice') as HTMLElement & { checked: boolean; disabled: boolean };
      box.dataset.column = c.column;
      box.setAttribute('label', fixed ? t('columns.fixed', t(c.key)) : t(c.key));
      box.title = t(c.hint);
      box.checked = shown.has(c.column);
      if (fixed) box.disabled = true;
      box.addEventListener('change', () => {
        const next = new Set(this.shown());
        if (box.checked) next.add(c.column);
        else next.delete(c.column);
        this.apply([...next]);
      });
      menu.append(box);
    }
    const reset = el('button', 'chip-button columns-reset', t('columns.reset'));
    reset.type = 'button';
    reset.addEventListener('click', () => {
      this.apply(DEFAULT_COLUMNS);
      this.resetWidths();
      for (const box of menu.querySelectorAll<HTMLElement & { checked: boolean }>('.column-choice'))
        box.checked = DEFAULT_COLUMNS.includes(box.dataset.column as never);
    });
    menu.append(reset);
    const close = (): void => {
      this.close();
      returnFocus?.focus();
    };
    menu.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close();
      }
    });
    // A press anywhere outside closes it (after this opening click has finished bubbling).
    const outside = (e: Event): void => {
      if (!menu.contains(e.target as Node)) close();
    };
    this.outside = outside;
    setTimeout(() => document.addEventListener('pointerdown', outside, true), 0);
    this.root.append(menu);
    const maxX = Math.max(0, window.innerWidth - menu.offsetWidth - 4);
    const maxY = Math.max(0, window.innerHeight - menu.offsetHeight - 4);
    menu.style.left = `${Math.min(x, maxX)}px`;
    menu.style.top = `${Math.min(y, maxY)}px`;
    menu.querySelector<HTMLElement>('.column-choice:not([disabled])')?.focus();
  }

  close(): void {
    this.root.querySelector('.columns-menu')?.remove();
    if (this.outside) document.removeEventListener('pointerdown', this.outside, true);
    this.outside = null;
  }
}
