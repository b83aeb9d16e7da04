// The toolbar (scope, filter, kernel threads, tree/flat, pause, columns, help, counts) and, under it, the
// legend of process states whose chips filter by state.
import type { Scope } from '../src/protocol';
import { el, custom, icon, setText } from './dom';
import { stateClass } from './rowText';
import { t, type MessageKey } from './i18n';
import type { UiState } from './uiState';
import { LEGEND_STATES } from '../src/shared/stateText';

export interface ToolbarCallbacks {
  setScope(scope: Scope): void;
  /** The filter text was typed (the field already shows it). */
  filterTyped(text: string): void;
  /** Escape in the filter: clear it and go back to the list. */
  filterCleared(): void;
  /** Arrow down or Enter in the filter: on to the list. */
  filterLeft(): void;
  kernelThreadsChanged(show: boolean): void;
  togglePaused(): void;
  toggleFlat(): void;
  openColumns(x: number, y: number): void;
  toggleHelp(): void;
  /** A state chip was toggled, or the chips cleared (UiState.states holds the new set). */
  statesChanged(): void;
}

export class Toolbar {
  readonly element: HTMLElement;
  readonly legend: HTMLElement;
  readonly filterField: HTMLElement & { value: string };
  private readonly scopeButtons: HTMLElement;
  private readonly kernelBox: HTMLElement & { checked: boolean };
  private readonly countLabel: HTMLElement;
  private readonly pauseButton: HTMLButtonElement;
  private readonly flatButton: HTMLButtonElement;

  constructor(
    private readonly ui: UiState,
    private readonly cb: ToolbarCallbacks,
  ) {
    const toolbar = el('div', 'toolbar');
    this.element = toolbar;
    toolbar.setAttribute('role', 'toolbar');
    toolbar.setAttribute('aria-label', t('app.title'));
    this.scopeButtons = el('div', 'segmented');
    this.scopeButtons.setAttribute('role', 'radiogroup');
    this.scopeButtons.setAttribute('aria-label', t('toolbar.scope'));
    toolbar.append(this.scopeButtons);

    this.filterField = this.buildFilter();
    toolbar.append(this.filterField);

    this.kernelBox = custom('vscode-checkbox', 'kernel-toggle') as HTMLElement & { checked: boolean };
    this.kernelBox.setAttribute('label', t('toolbar.kernelThreads'));
    this.kernelBox.checked = ui.settings.showKernelThreads;
    this.kernelBox.addEventListener('change', () => cb.kernelThreadsChanged(this.kernelBox.checked));
    toolbar.append(this.kernelBox);
    this.countLabel = el('span', 'count');
    this.countLabel.setAttribute('aria-live', 'off');
    this.pauseButton = chipButton('pause-button', 'pause');
    this.pauseButton.addEventListener('click', () => cb.togglePaused());
    this.flatButton = chipButton('flat-button', 'flat');
    this.flatButton.addEventListener('click', () => cb.toggleFlat());
    const columnsButton = chipButton('columns-button', 'columns');
    columnsButton.title = t('columns.hint');
    columnsButton.setAttribute('aria-haspopup', 'dialog');
    columnsButton.setAttribute('aria-label', t('columns.button'));
    columnsButton.append(icon('list-selection'), el('span', 'button-label', t('columns.button')));
    columnsButton.addEventListener('click', () => {
      const r = columnsButton.getBoundingClientRect();
      cb.openColumns(r.left, r.bottom + 2);
    });
    toolbar.append(this.flatButton, this.pauseButton, columnsButton);
    const help = chipButton('icon-button', 'help');
    help.title = t('help.open');
    help.setAttribute('aria-label', t('help.open'));
    help.append(icon('keyboard'));
    help.addEventListener('click', () => cb.toggleHelp());
    toolbar.append(help);
    toolbar.append(this.countLabel);

    this.legend = el('div', 'legend');
    this.legend.setAttribute('role', 'group');
    this.legend.setAttribute('aria-label', t('legend.title'));
  }

  private buildFilter(): HTMLElement & { value: string } {
    const field = custom('vscode-textfield', 'filter') as HTMLElement & { value: string };
    field.setAttribute('placeholder', t('toolbar.filter'));
    field.setAttribute('aria-label', t('toolbar.filterLabel'));
    field.id = 'filter';
    field.value = this.ui.filter;
    const searchIcon = icon('search');
    searchIcon.setAttribute('slot', 'content-before');
    field.append(searchIcon);
    field.addEventListener('input', () => this.cb.filterTyped(field.value));
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        this.cb.filterCleared();
      } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
        e.preventDefault();
        this.cb.filterLeft();
      }
    });
    return field;
  }

  /** Resolves once the filter field has drawn its value (its blur 'change' would otherwise read the old text back). */
  filterDrawn(): Promise<unknown> {
    return (this.filterField as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  }

  setFilterText(text: string): void {
    this.filterField.value = text;
  }

  setKernelThreads(show: boolean): void {
    this.kernelBox.checked = show;
  }

  /** The counts; the label may be cut in a narrow panel, so its tooltip holds the whole text. */
  setCount(text: string): void {
    setText(this.countLabel, text);
    if (this.countLabel.title !== text) this.countLabel.title = text;
  }

  renderScope(): void {
    this.scopeButtons.replaceChildren();
    for (const s of ['workspace', 'all'] as Scope[]) {
      const b = el('button', `chip-button${this.ui.scope === s ? ' active' : ''}`);
      b.type = 'button';
      b.dataset.scope = s;
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', this.ui.scope === s ? 'true' : 'false');
      b.append(
        icon(s === 'workspace' ? 'root-folder' : 'server-process'),
        el('span', '', t(s === 'workspace' ? 'toolbar.scope.workspace' : 'toolbar.scope.all')),
      );
      b.addEventListener('click', () => this.cb.setScope(s));
      this.scopeButtons.append(b);
    }
  }

  renderFlat(): void {
    const flat = this.ui.flat;
    this.flatButton.replaceChildren(
      icon(flat ? 'list-flat' : 'list-tree'),
      el('span', 'button-label', flat ? t('toolbar.flat') : t('toolbar.tree')),
    );
    this.flatButton.setAttribute('aria-label', flat ? t('toolbar.flat') : t('toolbar.tree'));
    this.flatButton.classList.toggle('active', flat);
    this.flatButton.setAttribute('aria-pressed', flat ? 'true' : 'false');
    this.flatButton.title = t('toolbar.flatHint');
  }

  renderPause(): void {
    const paused = this.ui.paused;
    this.pauseButton.replaceChildren(
      icon(paused ? 'debug-continue' : 'debug-pause'),
      el('span', 'button-label', paused ? t('toolbar.resume') : t('toolbar.pause')),
    );
    this.pauseButton.setAttribute('aria-label', paused ? t('toolbar.resume') : t('toolbar.pause'));
    this.pauseButton.classList.toggle('active', paused);
    this.pauseButton.setAttribute('aria-pressed', paused ? 'true' : 'false');
    this.pauseButton.title = paused ? t('toolbar.resumeHint') : t('toolbar.pauseHint');
  }

  renderLegend(): void {
    const states = this.ui.states;
    this.legend.replaceChildren(el('span', 'legend-title', t('legend.title')));
    for (const s of LEGEND_STATES) {
      const b = el('button', `legend-chip${states.has(s) ? ' active' : ''}`);
      b.type = 'button';
      b.dataset.state = s;
      b.setAttribute('aria-pressed', states.has(s) ? 'true' : 'false');
      b.title = `${s}: ${t(`state.${s}` as MessageKey)}`;
      b.append(el('span', `state-badge st-${stateClass(s)}`, s), el('span', 'legend-text', t(`stateShort.${s}` as MessageKey)));
      b.addEventListener('click', () => {
        if (this.ui.states.has(s)) this.ui.states.delete(s);
        else this.ui.states.add(s);
        this.renderLegend();
        this.cb.statesChanged();
      });
      this.legend.append(b);
    }
    if (states.size > 0) {
      const clear = el('button', 'link-button', t('legend.clear'));
      clear.type = 'button';
      clear.dataset.action = 'clear-states';
      clear.addEventListener('click', () => {
        this.ui.states.clear();
        this.renderLegend();
        this.cb.statesChanged();
      });
      this.legend.append(clear);
    }
  }
}

function chipButton(cls: string, action: string): HTMLButtonElement {
  const b = el('button', `chip-button ${cls}`);
  b.type = 'button';
  b.dataset.action = action;
  return b;
}
