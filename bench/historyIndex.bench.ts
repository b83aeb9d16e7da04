// What one Timeline refresh costs the worker (it asks every 5 s while the tab is shown): the index of the
// panel's history, made the old way (the history as a Recording, every delta replayed into lives) and the
// incremental way (TickHistory.index: lives kept up to date as ticks are pushed and dropped). Real polls of
// this machine's /proc fill the history. Run: node --import tsx bench/historyIndex.bench.ts [seconds]
import { diffSnapshots } from '../src/core/diff';
import { TickHistory } from '../src/core/record/history';
import { indexHistory } from '../src/core/record/historyIndex';
import { ProcSampler } from '../src/core/sampler';

const seconds = Number(process.argv[2] ?? 60);
const sampler = new ProcSampler();
const history = new TickHistory(32 << 20);
let prev = sampler.pollSync({ threads: [] });
history.push(prev);
const start = Date.now();
while (Date.now() - start < seconds * 1000) {
  const s = sampler.pollSync({ threads: [] });
  history.pushDelta(s, diffSnapshots(prev, s));
  prev = s;
}
sampler.dispose();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const time = (f: () => unknown): number => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
const whole: number[] = [];
const incremental: number[] = [];
for (let i = 0; i < 7; i++) {
  whole.push(time(() => indexHistory(history.asRecording({ intervalMs: 1000, threads: false }))));
  incremental.push(time(() => history.index()));
}
console.log(
  `${history.length} ticks of ${prev.processes.length} processes (${(history.bytes / 1048576).toFixed(1)} MiB held): ` +
    `whole re-index ${median(whole).toFixed(1)} ms, incremental ${median(incremental).toFixed(1)} ms (median of 7)`,
);
const idx = history.index()!;
console.log(`lives with events ${idx.lives.length + idx.more}, steady ${idx.steady}`);
