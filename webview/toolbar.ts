// The toolbar (scope, filter, kernel threads, tree/flat, pause, columns, help, counts) and, under it, the
// legend of process states whose chips filter by state.
import type { Scope } from '../src/protocol';
import { el, custom, icon, keepFocus, radioGroupKeys, setText, visible } from './dom';
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
  /** The query was used (Enter, or a pause in typing): it joins the recent queries. */
  filterCommitted(): void;
  /** A recent query was chosen from the list. */
  recentChosen(text: string): void;
  kernelThreadsChanged(show: boolean): void;
  togglePaused(): void;
  toggleFlat(): void;
  openColumns(x: number, y: number): void;
  toggleHelp(): void;
  /** A state chip was toggled, or the chips cleared (UiState.states holds the new set). */
  statesChanged(): void;
}

/** A pause in typing after which the query counts as used (remembered among the recent ones). */
const COMMIT_PAUSE_MS = 1500;

export class Toolbar {
  readonly element: HTMLElement;
  readonly legend: HTMLElement;
  readonly filterField: HTMLElement & { value: string };
  private readonly scopeButtons: HTMLElement;
  private readonly kernelBox: HTMLElement & { checked: boolean };
  private readonly countLabel: HTMLElement;
  private readonly announcer: HTMLElement;
  private announceTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pauseButton: HTMLButtonElement;
  private readonly flatButton: HTMLButtonElement;
  /** What the filter's look-up terms found, or why they cannot be asked (a line under the toolbar). */
  readonly lookupNote: HTMLElement;
  private readonly recentButton: HTMLButtonElement;
  private commitTimer: ReturnType<typeof setTimeout> | undefined;
  /** The listener that closes the open recent-queries list on a press outside it. */
  private outside: ((e: Event) => void) | null = null;

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
    radioGroupKeys(this.scopeButtons);
    toolbar.append(this.scopeButtons);

    this.filterField = this.buildFilter();
    // A toolbar built anew (the locale changed) takes over from the old one: its open list goes.
    document.querySelector('.recent-list')?.remove();
    this.recentButton = chipButton('icon-button recent-button', 'recent');
    this.recentButton.title = t('recent.button');
    this.recentButton.setAttribute('aria-label', t('recent.button'));
    this.recentButton.setAttribute('aria-haspopup', 'listbox');
    this.recentButton.setAttribute('aria-expanded', 'false');
    this.recentButton.append(icon('history'));
    this.recentButton.addEventListener('click', () => (this.recentOpen ? this.closeRecent(true) : this.openRecent()));
    toolbar.append(this.filterField, this.recentButton);
    this.lookupNote = el('div', 'lookup-note');
    this.lookupNote.setAttribute('role', 'status');
    this.lookupNote.setAttribute('aria-live', 'polite');
    this.lookupNote.hidden = true;

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
    // The counts change every second, so they are not a live region; what a filter found is said here once the
    // typing pauses (announceFound).
    this.announcer = el('span', 'sr-only');
    this.announcer.setAttribute('role', 'status');
    this.announcer.setAttribute('aria-live', 'polite');
    toolbar.append(this.announcer);

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
    field.addEventListener('input', () => {
      this.cb.filterTyped(field.value);
      // A query is remembered once it was used: after a pause in typing, not each prefix typed on the way.
      clearTimeout(this.commitTimer);
      this.commitTimer = setTimeout(() => this.commit(), COMMIT_PAUSE_MS);
    });
    field.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' && e.altKey) {
        e.preventDefault();
        this.openRecent();
      } else if (e.key === 'Escape') {
        this.cb.filterCleared();
      } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
        e.preventDefault();
        if (e.key === 'Enter') this.commit();
        this.cb.filterLeft();
      }
    });
    return field;
  }

  private commit(): void {
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    this.cb.filterCommitted();
  }

  /** What the look-up says now (null: nothing to say, the line is hidden). */
  setLookupNote(note: { readonly text: string; readonly kind: string } | null): void {
    const text = note?.text ?? '';
    // The note holds typed paths and names: shown as text, with hidden characters made visible.
    setText(this.lookupNote, visible(text));
    const cls = `lookup-note${note ? ` ${note.kind}` : ''}`;
    if (this.lookupNote.className !== cls) this.lookupNote.className = cls;
    if (this.lookupNote.hidden !== (note === null)) this.lookupNote.hidden = note === null;
  }

  private get recentOpen(): boolean {
    return this.element.ownerDocument.querySelector('.recent-list') !== null;
  }

  /** The recent queries as a listbox under the field: arrows move, Enter or a click picks, Escape goes back. */
  openRecent(): void {
    this.closeRecent(false);
    const list = el('div', 'recent-list');
    list.id = 'recent-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', t('recent.title'));
    const recent = this.ui.recentFilters;
    const options: HTMLElement[] = [];
    if (recent.length === 0) {
      const empty = el('div', 'recent-empty', t('recent.empty'));
      empty.setAttribute('role', 'option');
      empty.setAttribute('aria-disabled', 'true');
      empty.tabIndex = -1;
      options.push(empty);
      list.append(empty);
    }
    recent.forEach((query, i) => {
      // A query holds what the user typed, maybe pasted OS text: text, never markup.
      const option = el('div', 'recent-option', visible(query));
      option.id = `recent-${i}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.tabIndex = -1;
      option.dataset.query = query;
      option.addEventListener('click', () => this.chooseRecent(query));
      options.push(option);
      list.append(option);
    });
    const focusAt = (i: number): void => {
      const next = options[Math.max(0, Math.min(options.length - 1, i))]!;
      for (const o of options) o.setAttribute('aria-selected', o === next ? 'true' : 'false');
      next.focus();
    };
    list.addEventListener('keydown', (e) => {
      const at = options.indexOf(document.activeElement as HTMLElement);
      if (e.key === 'ArrowDown') focusAt(at + 1);
      else if (e.key === 'ArrowUp') {
        if (at <= 0) this.closeRecent(true);
        else focusAt(at - 1);
      } else if (e.key === 'Home') focusAt(0);
      else if (e.key === 'End') focusAt(options.length - 1);
      else if (e.key === 'Enter' || e.key === ' ') {
        const query = options[at]?.dataset.query;
        if (query !== undefined) this.chooseRecent(query);
      } else if (e.key === 'Escape' || e.key === 'Tab') {
        this.closeRecent(e.key === 'Escape');
        if (e.key === 'Tab') return;
      } else return;
      e.preventDefault();
      e.stopPropagation();
    });
    const outside = (e: Event): void => {
      if (!list.contains(e.target as Node) && e.target !== this.recentButton && !this.recentButton.contains(e.target as Node)) {
        this.closeRecent(false);
      }
    };
    this.outside = outside;
    setTimeout(() => document.addEventListener('pointerdown', outside, true), 0);
    this.element.ownerDocument.body.append(list);
    const r = this.filterField.getBoundingClientRect();
    list.style.left = `${Math.max(0, r.left)}px`;
    list.style.top = `${r.bottom + 2}px`;
    list.style.minWidth = `${Math.max(160, r.width)}px`;
    this.recentButton.setAttribute('aria-expanded', 'true');
    this.recentButton.setAttribute('aria-controls', list.id);
    focusAt(0);
  }

  /** Closes the list; `refocus`: focus goes back to the filter field. */
  closeRecent(refocus: boolean): void {
    this.element.ownerDocument.querySelector('.recent-list')?.remove();
    if (this.outside) document.removeEventListener('pointerdown', this.outside, true);
    this.outside = null;
    this.recentButton.setAttribute('aria-expanded', 'false');
    this.recentButton.removeAttribute('aria-controls');
    if (refocus) this.filterField.focus();
  }

  private chooseRecent(query: string): void {
    this.closeRecent(true);
    this.cb.recentChosen(query);
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

  /**
   * Tells a screen reader what the filter now shows, once the typing has paused for a moment: `shown()` is read
   * then, so it counts the rows after the last keystroke.
   */
  announceFound(shown: () => number): void {
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(() => {
      const n = shown();
      // Emptied first: the same words again (another filter that finds as many) are then a change, and read out.
      setText(this.announcer, '');
      requestAnimationFrame(() => setText(this.announcer, n === 0 ? t('empty.noMatch') : t('toolbar.shown', n)));
    }, 700);
  }

  /** The counts; the label may be cut in a narrow panel, so its tooltip holds the whole text. */
  setCount(text: string): void {
    setText(this.countLabel, text);
    if (this.countLabel.title !== text) this.countLabel.title = text;
  }

  /** Redrawn when the scope changes (a click, a keypress, the host): the focused button keeps the focus. */
  renderScope(): void {
    keepFocus(this.scopeButtons, () => this.buildScope());
  }

  private buildScope(): void {
    this.scopeButtons.replaceChildren();
    for (const s of ['workspace', 'all'] as Scope[]) {
      const b = el('button', `chip-button${this.ui.scope === s ? ' active' : ''}`);
      b.type = 'button';
      b.dataset.scope = s;
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', this.ui.scope === s ? 'true' : 'false');
      b.tabIndex = this.ui.scope === s ? 0 : -1;
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

  /** Redrawn when a state is toggled: the focused chip keeps the focus (Clear goes to the first chip). */
  renderLegend(): void {
    const clearFocused = document.activeElement instanceof HTMLElement && document.activeElement.dataset.action === 'clear-states';
    keepFocus(this.legend, () => this.buildLegend());
    if (clearFocused && !this.legend.contains(document.activeElement)) this.legend.querySelector<HTMLElement>('.legend-chip')?.focus();
  }

  private buildLegend(): void {
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
