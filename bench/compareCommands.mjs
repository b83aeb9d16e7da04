// Whole commands timed side by side: each round runs every command once (through /bin/sh, stdout to /dev/null),
// the starting command rotating; prints the median wall time and the mean CPU of the waited-for children
// (/proc/self/stat cutime+cstime, 10 ms ticks) per command, and the first command's median divided by each.
// Usage: node bench/compareCommands.mjs ROUNDS '{"ps -eLF":"ps -eLF","procscope ps":"node dist/cli.js ps"}'
// The spread is the lowest and highest wall time of the rounds. NODE_EXTRA_CA_CERTS, when set, is reported:
// Node 20 parses that file (and its own root certificates) at every start-up, before any script runs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
const rounds = Number(process.argv[2] ?? 10);
const contenders = JSON.parse(process.argv[3]);
const keys = Object.keys(contenders);
const res = Object.fromEntries(keys.map((k) => [k, []]));
const cpu = Object.fromEntries(keys.map((k) => [k, 0]));
const childTicks = () => {
  const s = readFileSync('/proc/self/stat', 'latin1');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return Number(f[13]) + Number(f[14]);
};
for (let r = 0; r < rounds + 1; r++) {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[(i + r) % keys.length];
    const c0 = childTicks();
    const t0 = process.hrtime.bigint();
    spawnSync('/bin/sh', ['-c', contenders[k] + ' > /dev/null'], { stdio: 'inherit' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const c1 = childTicks();
    if (r > 0) {
      res[k].push(ms);
      cpu[k] += (c1 - c0) * 10;
    }
  }
}
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
const psMed = med(res[keys[0]]);
const psCpu = cpu[keys[0]];
const la = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const tasks = readFileSync('/proc/loadavg', 'utf8').split(' ')[3];
const ca = process.env.NODE_EXTRA_CA_CERTS ? `, NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS}` : '';
console.log(`rounds ${rounds}, loadavg after ${la}, running/tasks ${tasks}${ca}`);
for (const k of keys)
  console.log(
    k.padEnd(22),
    'wall median',
    med(res[k]).toFixed(1).padStart(7),
    'min',
    Math.min(...res[k])
      .toFixed(1)
      .padStart(7),
    'max',
    Math.max(...res[k])
      .toFixed(1)
      .padStart(7),
    ' first÷this',
    (psMed / med(res[k])).toFixed(2),
    '| cpu mean',
    (cpu[k] / rounds).toFixed(1).padStart(6),
    'first÷this',
    (psCpu / cpu[k]).toFixed(2),
  );
