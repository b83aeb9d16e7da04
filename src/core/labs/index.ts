// Lab cards for the walkthroughs: what a learner should see while a lab runs, ticked from ProcScope's own
// readings. Pure: no vscode, no /proc access, no clock (the host reads, this module judges).
//
// Contract with the extension host (src/extension) and the walkthrough (package.json contributes.walkthroughs):
//
// 1. A walkthrough step's button runs `command:procscope.runLab?["<labId>"]` with a LabId from LAB_IDS.
//    `procscope.runLab` opens an integrated terminal named after the lab (LABS[id].title in the display
//    language) and runs `labCommandLine(id, extensionPath, locale)` in it; for `vscode_itself` (script null)
//    it runs nothing and only focuses the panel on "This workspace".
// 2. While the lab runs, on each tick (every few seconds is enough) the host:
//    - finds the lab's processes: `labProcesses(id, snapshot, [terminalShellPid])`,
//      and posts `{ type: 'focus', pids }` when that set changes;
//    - asks `labNeeds(id, snapshot, pids, hostPid)` what else to read: threads of some pids (next poll's
//      PollOptions.threads), PCB details (`readProcessDetail`) of a few pids, an IPC scan (`scanIpc({ pids })`);
//    - calls `evaluateLab(id, { snapshot, pids, details, ipc, hostPid, workspace }, { previous, locale })`
//      and posts `{ type: 'labCard', card }` (protocol.ts LabCard). Items stay ticked once observed:
//      pass the previous card back in `previous`.
// 3. When `isLabComplete(card)` first becomes true, the host runs the command `labObservedCommand(id)`
//    (`procscope.labObserved.<labId>`), a no-op command it registers for each lab; the walkthrough step's
//    completionEvents is `onCommand:procscope.labObserved.<labId>`, so steps complete on what was observed,
//    not on a click.
// 4. The lab programs name their processes (prctl PR_SET_NAME) with the names the card items mention, live
//    at most `--seconds` (default 120) and remove every process, file and IPC object they create.
import type { LabCard, Locale } from '../../protocol';
import { LAB_IDS, LABS, isLabId, type LabDef, type LabId } from './cards';
import { labNeeds, labProcesses, observeLab, type LabNeeds, type LabObservation } from './observe';

export { LAB_IDS, LABS, isLabId, labNeeds, labProcesses, observeLab };
export type { LabDef, LabId, LabNeeds, LabObservation };

export interface EvaluateOptions {
  /** The card from the previous tick: items it had ticked stay ticked. */
  readonly previous?: LabCard | null;
  readonly locale?: Locale;
}

/** The lab's card for this observation, in the learner's language. */
export function evaluateLab(labId: LabId, observation: LabObservation, options: EvaluateOptions = {}): LabCard {
  const def = LABS[labId];
  const locale = options.locale ?? 'en';
  const seen = observeLab(labId, observation);
  const before = new Set(options.previous && options.previous.id === labId ? options.previous.items.filter((i) => i.done).map((i) => i.id) : []);
  const pids = observation.pids ?? (labId === 'vscode_itself' ? [] : labProcesses(labId, observation.snapshot));
  return {
    id: labId,
    title: def.title[locale],
    pids,
    items: def.items.map((item) => ({ id: item.id, text: item[locale], done: seen.has(item.id) || before.has(item.id) })),
  };
}

/** An empty card (nothing observed yet), e.g. right after the lab starts. */
export function emptyCard(labId: LabId, locale: Locale = 'en'): LabCard {
  const def = LABS[labId];
  return { id: labId, title: def.title[locale], pids: [], items: def.items.map((item) => ({ id: item.id, text: item[locale], done: false })) };
}

export function isLabComplete(card: LabCard): boolean {
  return card.items.length > 0 && card.items.every((item) => item.done);
}

/** The command the host runs when a lab's card is complete; the walkthrough step completes on it. */
export function labObservedCommand(labId: LabId): string {
  return `procscope.labObserved.${labId}`;
}

/**
 * The shell command line that runs a lab from the extension's folder, e.g.
 * `PROCSCOPE_LANG=ko python3 '/ext/labs/fork_cow.py'`. null for the VS Code step (no program).
 */
export function labCommandLine(labId: LabId, extensionPath: string, locale: Locale = 'en', seconds = 120): string | null {
  const script = LABS[labId].script;
  if (!script) return null;
  const path = `${extensionPath.replace(/\/+$/, '')}/labs/${script}`;
  return `PROCSCOPE_LANG=${locale} python3 ${shellQuote(path)} --seconds ${Math.max(1, Math.floor(seconds))}`;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
