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
//      for the deadlock lab also wait facts of the lab's threads (`waits`: `collectWaits`) and the exit status
//      of some zombies (`exitStatus`: stat's exit_code); the host's LabSession reads both (labFacts.ts);
//    - calls `evaluateLab(id, { snapshot, pids, details, ipc, selectedPid, hostPid, workspace }, { previous, locale })`
//      (`details` must include the selected process's detail when it is one of the lab's: the PCB item;
//      `selectedPid` is a selection the learner made, not one the panel made by itself at a focus: the
//      host's LabSession tells them apart, see SelectionOrigin)
//      and posts `{ type: 'labCard', card }` (card.ts LabCard, carried by protocol.ts). Items stay ticked once observed:
//      pass the previous card back in `previous`.
//    `LabTracker` does all of this bookkeeping: `new LabTracker(id, locale, [shellPid])`, then per tick
//    `tracker.needs(snapshot)` and `tracker.update({ snapshot, details, ipc })` -> `{ card, focus, completedNow }`.
// 3. When `isLabComplete(card)` first becomes true (`completedNow`), the host runs the command `labObservedCommand(id)`
//    (`procscope.labObserved.<labId>`), a no-op command it registers for each lab; the walkthrough step's
//    completionEvents is `onCommand:procscope.labObserved.<labId>`, so steps complete on what was observed,
//    not on a click.
// 4. The lab programs name their processes (prctl PR_SET_NAME) with the names the card items mention, live
//    at most `--seconds` (default 120) and remove every process, file and IPC object they create. Their SysV
//    keys carry the creating lab's pid (sysvKey.ts), and a lab that measures names a process after its
//    verdict (threads: gil-shown / gil-busy / gil-one-cpu / gil-no-gil), so rules judge the lab's own objects
//    and conclusions.
export { LAB_IDS, LABS, isLabId } from './cards';
export type { Bilingual, LabDef, LabId, LabItemDef } from './cards';
export { labNeeds, labProcesses, observeLab, observeLabNotes, runsScript, withDescendants } from './observe';
export type { LabNeeds, LabObservation } from './observe';
export { emptyCard, evaluateLab, FORK_REWIND_OBSERVED, isLabComplete, labCommandLine, labObservedCommand } from './evaluate';
export type { EvaluateOptions } from './evaluate';
export { LabTracker } from './tracker';
export { LAB_SYSV_KEY_TAG, labSysvKey, labSysvKeyOwner } from './sysvKey';
export type { LabSysvKind } from './sysvKey';
export type { LabUpdate } from './tracker';
