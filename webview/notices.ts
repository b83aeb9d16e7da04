// What the panel tells the user besides the rows: the banner over the list (a failed poll, the portable
// backend, what the poll could not see, pause, focus, a lab's checklist), the empty-list overlay and the
// status bar (the outcome of the last action).
import type { LabCard } from '../src/protocol';
import { el, osEl, custom, icon, keepFocus, replaceChildrenIfChanged, visible } from './dom';
import { getLocale, t } from './i18n';
import { reachText } from './summaryStrip';
import type { ProcessStore } from './store';
import type { UiState } from './uiState';

export interface NoticeCallbacks {
  resume(): void;
  /** Leave the rewound table for the present. */
  live(): void;
  /** The empty overlay's "clear filter": the filter text and the state chips. */
  clearFilter(): void;
  showAll(): void;
}

/** Where the age goes in the rewound notice's sentence (a character no translation holds). */
const AGE_MARK = '\u{E000}';

export class Notices {
  banner!: HTMLElement;
  emptyBox!: HTMLElement;
  statusBar!: HTMLElement;
  /** The last poll's failure, until a poll succeeds or the user dismisses it. */
  errorMessage: string | null = null;
  labCard: LabCard | null = null;
  /** Why the host asked to focus processes (a debuggee, a lab), while that holds. */
  focusNote: string | null = null;
  /** When the host last sent anything, while it has been silent for too long (null: it is not). */
  silentSince: number | null = null;

  constructor(
    private readonly ui: UiState,
    private readonly store: ProcessStore,
    private readonly cb: NoticeCallbacks,
  ) {}

  /** New, empty elements (the panel is rebuilt when the language changes; what they say is kept here). */
  mount(): void {
    this.banner = el('div', 'banner');
    this.emptyBox = el('div', 'empty-overlay');
    this.statusBar = el('div', 'statusbar');
    this.statusBar.setAttribute('role', 'status');
    this.statusBar.setAttribute('aria-live', 'polite');
  }

  renderBanner(): void {
    const out: HTMLElement[] = [];
    if (this.errorMessage && this.store.hasSnapshot) {
      const box = el('div', 'notice error');
      box.setAttribute('role', 'alert');
      box.append(
        icon('error'),
        el('strong', '', t('error.title')),
        osEl('span', 'mono', ` ${this.errorMessage} `),
        el('span', '', t('error.hint')),
      );
      const dismiss = el('button', 'link-button', t('error.dismiss'));
      dismiss.type = 'button';
      dismiss.dataset.action = 'dismiss-error';
      dismiss.addEventListener('click', () => {
        this.errorMessage = null;
        this.renderBanner();
      });
      box.append(dismiss);
      out.push(box);
    }
    if (this.store.hasSnapshot && this.store.backend === 'portable') {
      const box = el('div', 'notice');
      box.append(icon('info'), el('span', '', t('notice.portable')));
      out.push(box);
    }
    this.renderHiddenNotes(out);
    if (this.ui.pausedAt !== null) {
      const box = el('div', 'notice warning paused-notice');
      box.setAttribute('role', 'status');
      box.append(
        icon('debug-pause'),
        el('strong', '', t('pause.title')),
        el('span', '', t('pause.notice', new Date(this.ui.pausedAt).toLocaleTimeString(getLocale()))),
      );
      const resume = el('button', 'link-button', t('toolbar.resume'));
      resume.type = 'button';
      resume.dataset.action = 'resume';
      resume.addEventListener('click', () => this.cb.resume());
      box.append(resume);
      out.push(box);
    }
    if (this.ui.pastAt !== null) {
      const box = el('div', 'notice warning past-notice');
      box.setAttribute('role', 'status');
      // The age ("12 s ago") grows while the user looks: it is filled in after the banner is drawn, so the
      // notice keeps its element (a status announced once, not each second), and it is not a live part.
      const [before, after] = t('past.notice', new Date(this.ui.pastAt).toLocaleTimeString(getLocale()), AGE_MARK).split(AGE_MARK);
      const age = el('span', 'past-age');
      age.setAttribute('aria-live', 'off');
      const sentence = el('span', '', ` ${before ?? ''}`);
      sentence.append(age, `${after ?? ''} `);
      box.append(icon('history'), el('strong', '', t('past.title')), sentence);
      const live = el('button', 'link-button', t('timeline.live'));
      live.type = 'button';
      live.dataset.action = 'live';
      live.addEventListener('click', () => this.cb.live());
      box.append(live);
      out.push(box);
    }
    if (this.focusNote) {
      const box = el('div', 'notice');
      box.append(icon('target'), el('span', '', t('status.focus', visible(this.focusNote))));
      out.push(box);
    }
    if (this.labCard) {
      const card = el('div', 'lab-card');
      card.append(el('div', 'lab-title', `${t('lab.title')}: ${this.labCard.title}`));
      const list = el('ul', 'lab-items');
      for (const item of this.labCard.items) {
        const li = el('li', item.done ? 'done' : '');
        li.append(icon(item.done ? 'pass-filled' : 'circle-large-outline'), el('span', '', item.text));
        list.append(li);
      }
      card.append(list);
      out.push(card);
    }
    if (this.silentSince !== null) {
      const box = el('div', 'notice warning silent-notice');
      box.setAttribute('role', 'alert');
      box.append(
        icon('warning'),
        el('strong', '', t('silent.title')),
        el('span', '', t('silent.notice', new Date(this.silentSince).toLocaleTimeString(getLocale()))),
      );
      out.push(box);
    }
    // Unchanged notices keep their elements (focus stays, alerts are not announced again); a changed one keeps
    // the focus on its button.
    keepFocus(this.banner, () => replaceChildrenIfChanged(this.banner, out));
    const age = this.banner.querySelector('.past-age');
    if (age && this.ui.pastAt !== null) {
      const text = reachText(Date.now() - this.ui.pastAt);
      if (age.textContent !== text) age.textContent = text;
    }
  }

  /** One line per kind of thing the last poll could not see ("12 processes could not be seen: hidepid=2"). */
  private renderHiddenNotes(out: HTMLElement[]): void {
    if (!this.store.hasSnapshot) return;
    for (const h of this.store.hidden) {
      const box = el('div', 'notice hidden-note');
      box.append(
        icon('eye-closed'),
        osEl('span', '', t(h.unit === 'tasks' ? 'notice.hiddenTasks' : 'notice.hiddenProcesses', h.count, h.reason)),
      );
      out.push(box);
    }
  }

  /** Over an empty list: waiting for the first data, why nothing matches, or the failure that left it empty. */
  renderEmpty(rowCount: number): void {
    let title: string | null = null;
    let hint = '';
    let cls = 'empty-state';
    const buttons: HTMLElement[] = [];
    if (!this.store.hasSnapshot) {
      if (this.errorMessage) {
        cls += ' error';
        title = t('error.title');
        hint = `${visible(this.errorMessage)} — ${t('error.hint')}`;
      } else {
        title = t('empty.waiting');
        hint = t('empty.waitingHint');
      }
    } else if (rowCount === 0) {
      if (this.ui.filtering) {
        title = t('empty.noMatch');
        hint = t('empty.noMatchHint');
        const b = custom('vscode-button', '', t('empty.clearFilter'));
        b.dataset.action = 'clear-filter';
        b.addEventListener('click', () => this.cb.clearFilter());
        buttons.push(b);
      } else if (this.ui.scope === 'workspace') {
        title = t('empty.workspace');
        hint = t('empty.workspaceHint');
      }
      if (this.ui.scope === 'workspace') {
        const b = custom('vscode-button', '', t('empty.showAll'));
        b.setAttribute('secondary', '');
        b.dataset.action = 'show-all';
        b.addEventListener('click', () => this.cb.showAll());
        buttons.push(b);
      }
    }
    this.emptyBox.hidden = title === null;
    if (title === null) {
      replaceChildrenIfChanged(this.emptyBox, []);
      return;
    }
    const error = cls.includes('error');
    const box = el('div', cls);
    if (error) box.setAttribute('role', 'alert');
    box.append(
      icon(
        error ? 'error' : this.store.hasSnapshot ? 'filter' : 'loading',
        error ? '' : this.store.hasSnapshot ? '' : 'codicon-modifier-spin',
      ),
    );
    box.append(el('div', 'empty-title', title), el('div', 'empty-hint', hint));
    if (buttons.length) {
      const row = el('div', 'empty-buttons');
      row.append(...buttons);
      box.append(row);
    }
    // Redrawn on every tick: unchanged, it keeps its elements, so a focused button stays focused.
    keepFocus(this.emptyBox, () => replaceChildrenIfChanged(this.emptyBox, [box]));
  }

  showStatus(text: string, error: boolean): void {
    this.statusBar.replaceChildren();
    this.statusBar.className = `statusbar${error ? ' error' : ''}`;
    this.statusBar.setAttribute('role', error ? 'alert' : 'status');
    this.statusBar.append(icon(error ? 'error' : 'check'), osEl('span', 'status-text', text));
  }
}
