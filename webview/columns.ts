// The tree's columns: what each shows, its default width and how it shares spare room, the order a narrow
// panel drops them in, and the plan of the grid's tracks for a width. Pure (no DOM): unit-tested.
import type { MessageKey } from './i18n';
import type { SortColumn } from './rows';

export type ColumnWidths = Partial<Record<SortColumn, number>>;

/**
 * Default width of each column and how it shares spare room (grow > 0: a flexible track). A narrow panel
 * drops columns (command line and user first, then Waiting for, then CPU% and RSS) rather than letting the grid run under
 * the detail pane; the name column may then shrink to `narrowName`. Threads stays: its cell holds the button
 * that opens the thread rows.
 */
export const COLUMN_SPEC: Record<SortColumn, { readonly base: number; readonly grow: number }> = {
  name: { base: 160, grow: 3 },
  pid: { base: 64, grow: 0 },
  state: { base: 44, grow: 0 },
  cpu: { base: 54, grow: 0 },
  rss: { base: 72, grow: 0 },
  threads: { base: 64, grow: 0 },
  user: { base: 56, grow: 0.7 },
  cmd: { base: 100, grow: 3 },
  mem: { base: 54, grow: 0 },
  time: { base: 76, grow: 0 },
  virt: { base: 72, grow: 0 },
  nice: { base: 36, grow: 0 },
  pri: { base: 36, grow: 0 },
  start: { base: 92, grow: 0 },
  wait: { base: 120, grow: 0 },
};
// Each level drops more; the last level's list is what a very narrow panel keeps hidden.
const DROP_LEVELS: readonly (readonly SortColumn[])[] = [
  [],
  ['user', 'cmd'],
  ['user', 'cmd', 'wait'],
  ['user', 'cmd', 'wait', 'start', 'virt', 'pri', 'nice'],
  ['user', 'cmd', 'start', 'virt', 'pri', 'nice', 'wait', 'time', 'mem', 'cpu', 'rss'],
];
// While "Waiting for" shows, the name keeps room for a nested row's indent and a readable name (200 px);
// below that the wait column goes before the name gets narrower.
const NAME_BASE_AT_LEVEL = [160, 200, 120, 100, 90];
/** Room a header needs beside its label: cell padding (4 + 6) and a little air; the sorted one also its arrow. */
export const HEADER_CHROME = 12;
export const SORT_ARROW = 18;
export const MIN_COLUMN = 28;

export const COLUMNS: readonly { column: SortColumn; key: MessageKey; hint: MessageKey; cls: string }[] = [
  { column: 'name', key: 'col.name', hint: 'col.name', cls: 'c-name' },
  { column: 'pid', key: 'col.pid', hint: 'col.pid', cls: 'c-pid' },
  { column: 'state', key: 'col.state', hint: 'col.state', cls: 'c-state' },
  { column: 'wait', key: 'col.wait', hint: 'col.waitHint', cls: 'c-wait' },
  { column: 'cpu', key: 'col.cpu', hint: 'col.cpu', cls: 'c-cpu' },
  { column: 'mem', key: 'col.mem', hint: 'col.memHint', cls: 'c-mem' },
  { column: 'rss', key: 'col.rss', hint: 'col.rss', cls: 'c-rss' },
  { column: 'virt', key: 'col.virt', hint: 'col.virtHint', cls: 'c-virt' },
  { column: 'time', key: 'col.time', hint: 'col.timeHint', cls: 'c-time' },
  { column: 'nice', key: 'col.nice', hint: 'col.niceHint', cls: 'c-nice' },
  { column: 'pri', key: 'col.pri', hint: 'col.priHint', cls: 'c-pri' },
  { column: 'start', key: 'col.start', hint: 'col.startHint', cls: 'c-start' },
  { column: 'threads', key: 'col.threads', hint: 'col.threads', cls: 'c-threads' },
  { column: 'user', key: 'col.user', hint: 'col.user', cls: 'c-user' },
  { column: 'cmd', key: 'col.cmd', hint: 'col.cmd', cls: 'c-cmd' },
];
/** The columns shown until the user chooses: the ones the panel always had. */
export const DEFAULT_COLUMNS: readonly SortColumn[] = ['name', 'pid', 'state', 'wait', 'cpu', 'rss', 'threads', 'user', 'cmd'];
/** Columns whose header does not sort. */
export const UNSORTABLE: ReadonlySet<SortColumn> = new Set(['wait']);
/** Columns that cannot be hidden: the name holds the tree, the threads cell the button that opens thread rows. */
export const FIXED_COLUMNS: readonly SortColumn[] = ['name', 'threads'];

/** The grid's tracks for a width, and the columns a narrow panel drops. */
export interface ColumnPlan {
  readonly tracks: readonly string[];
  readonly dropped: readonly SortColumn[];
  /** The DROP_LEVELS level the plan settled on. */
  readonly level: number;
}

/** The width a column needs at a drop level: its dragged width or base, its label, the minimum. */
function needAt(c: SortColumn, level: number, widths: ColumnWidths, labelMin: ColumnWidths): number {
  const base = c === 'name' ? NAME_BASE_AT_LEVEL[level]! : COLUMN_SPEC[c].base;
  return Math.max(widths[c] ?? base, labelMin[c] ?? 0, MIN_COLUMN);
}

/**
 * Every chosen column at least as wide as its header label (`labelMin`) and the user's dragged width, columns
 * dropped in DROP_LEVELS order until the rest fit `width`; flexible columns (and the last one, when the user
 * sized it or none is flexible) share the spare room.
 */
export function planColumns(width: number, chosen: ReadonlySet<SortColumn>, widths: ColumnWidths, labelMin: ColumnWidths): ColumnPlan {
  const need = (c: SortColumn, level: number): number => needAt(c, level, widths, labelMin);
  const hidden = (level: number): SortColumn[] =>
    COLUMNS.map((c) => c.column).filter((c) => !chosen.has(c) || DROP_LEVELS[level]!.includes(c));
  let level = 0;
  for (; level < DROP_LEVELS.length - 1; level++) {
    const gone = hidden(level);
    const shown = COLUMNS.filter((c) => !gone.includes(c.column));
    if (shown.reduce((sum, c) => sum + need(c.column, level), 0) <= width) break;
  }
  const dropped = hidden(level);
  const shownColumns = COLUMNS.filter((c) => !dropped.includes(c.column)).map((c) => c.column);
  const last = shownColumns.at(-1);
  const flexible = (c: SortColumn): boolean => COLUMN_SPEC[c].grow > 0 && widths[c] === undefined;
  // The last column shown takes the spare room when the user sized it or when no other column is flexible
  // (no gap at the right, whichever columns were chosen).
  const lastGrows = last !== undefined && (widths[last] !== undefined || !shownColumns.some(flexible));
  const tracks = shownColumns.map((column) => {
    const w = need(column, level);
    const spec = COLUMN_SPEC[column];
    return flexible(column) || (column === last && lastGrows) ? `minmax(${w}px, ${spec.grow || 1}fr)` : `${w}px`;
  });
  return { tracks, dropped, level };
}

/**
 * The widest `column` may be made (dragged or keyed) at `width` without the panel dropping another column, or
 * itself: the width less what every other column shown now needs. Never below what it needs now.
 */
export function columnRoom(
  width: number,
  chosen: ReadonlySet<SortColumn>,
  widths: ColumnWidths,
  labelMin: ColumnWidths,
  column: SortColumn,
): number {
  const plan = planColumns(width, chosen, widths, labelMin);
  const others = COLUMNS.filter((c) => c.column !== column && !plan.dropped.includes(c.column)).reduce(
    (sum, c) => sum + needAt(c.column, plan.level, widths, labelMin),
    0,
  );
  return Math.max(needAt(column, plan.level, widths, labelMin), Math.floor(width - others));
}
