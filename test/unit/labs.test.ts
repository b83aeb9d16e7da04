// The labs' texts are complete in both languages, every card item can be ticked, and the walkthrough in
// package.json points at real commands, keys and files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { emptyCard, evaluateLab, isLabComplete, LAB_IDS, labCommandLine, labObservedCommand, LABS, isLabId } from '../../src/core/labs';
import { ruleIds } from '../../src/core/labs/observe';
import type { Snapshot } from '../../src/core/model';

const ROOT = resolve(__dirname, '../..');
const LAB_MODULES = [
  'pcb_states',
  'fork_cow',
  'threads',
  'ipc',
  'locks',
  'deadlock',
  'counter',
  'semaphore',
  'signals',
  'multiprocess',
  'gil',
];

function placeholders(text: string): string[] {
  // Python str.format fields, ignoring escaped braces ({{ }}).
  return [...text.replace(/\{\{|\}\}/g, '').matchAll(/\{(\w+)[^}]*\}/g)].map((m) => m[1]!).sort();
}

test('every lab program has a Korean string for every English key, with the same placeholders', () => {
  const script = [
    'import json, sys',
    'sys.dont_write_bytecode = True',
    `sys.path.insert(0, ${JSON.stringify(join(ROOT, 'labs'))})`,
    `mods = [__import__(name) for name in ${JSON.stringify(LAB_MODULES)}]`,
    'print(json.dumps({m.__name__: m.S for m in mods}, ensure_ascii=False))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const tables = JSON.parse(run.stdout) as Record<string, { en: Record<string, string>; ko: Record<string, string> }>;
  assert.deepEqual(Object.keys(tables).sort(), [...LAB_MODULES].sort());
  for (const [lab, { en, ko }] of Object.entries(tables)) {
    assert.ok(Object.keys(en).length >= 5, `${lab} has strings`);
    assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort(), `${lab}: same keys in en and ko`);
    for (const key of Object.keys(en)) {
      assert.ok(ko[key]!.trim().length > 0, `${lab}.${key} is empty in Korean`);
      assert.deepEqual(placeholders(ko[key]!), placeholders(en[key]!), `${lab}.${key}: placeholders differ`);
    }
  }
});

test('every card item has English and Korean text and a rule that can tick it', () => {
  assert.deepEqual([...LAB_IDS].sort(), Object.keys(LABS).sort());
  for (const id of LAB_IDS) {
    const def = LABS[id];
    assert.ok(def.title.en && def.title.ko && def.title.en !== def.title.ko, `${id} title`);
    assert.ok(def.items.length >= 4, `${id} has items`);
    assert.deepEqual(def.items.map((i) => i.id).sort(), ruleIds(id).sort(), `${id}: one rule per item`);
    for (const item of def.items) {
      assert.ok(item.en.trim() && item.ko.trim(), `${id}.${item.id} text`);
      assert.notEqual(item.en, item.ko, `${id}.${item.id} is translated`);
    }
    if (def.script) assert.ok(existsSync(join(ROOT, 'labs', def.script)), `${def.script} exists`);
  }
});

test('the walkthrough steps run real labs, complete on the observed event and resolve every nls key in both languages', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const en = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const ko = JSON.parse(readFileSync(join(ROOT, 'package.nls.ko.json'), 'utf8')) as Record<string, string>;
  const walkthroughs = manifest.contributes.walkthroughs as {
    id: string;
    title: string;
    description: string;
    steps: { id: string; title: string; description: string; media: { markdown: string }; completionEvents: string[] }[];
  }[];
  assert.equal(walkthroughs.length, 1);
  const [walkthrough] = walkthroughs;
  // A lab may have follow-up steps (`procscope.lab.<lab>.<part>`, right after its own): read, not run.
  const followUps = walkthrough!.steps.filter((s) => s.id.split('.').length > 3);
  assert.deepEqual(
    walkthrough!.steps.filter((s) => !followUps.includes(s)).map((s) => s.id),
    LAB_IDS.map((id) => `procscope.lab.${id}`),
  );
  const key = (value: string) => {
    const m = /^%(.+)%$/.exec(value);
    assert.ok(m, `${value} is an nls key`);
    assert.ok(en[m[1]!]?.trim(), `${m[1]} in package.nls.json`);
    assert.ok(ko[m[1]!]?.trim(), `${m[1]} in package.nls.ko.json`);
    assert.notEqual(ko[m[1]!], en[m[1]!], `${m[1]} is translated`);
    return { en: en[m[1]!]!, ko: ko[m[1]!]! };
  };
  key(walkthrough!.title);
  key(walkthrough!.description);
  for (const step of followUps) {
    const [, , labId, part] = step.id.split('.');
    const at = walkthrough!.steps.indexOf(step);
    assert.ok(walkthrough!.steps[at - 1]!.id.startsWith(`procscope.lab.${labId}`), `${step.id} follows its lab's step`);
    key(step.title);
    const description = key(step.description);
    for (const text of [description.en, description.ko]) assert.match(text, /\(command:procscope\.open\)/, `${step.id} opens the panel`);
    // Not on opening the panel (any shortcut would tick it): on a rewind to a tick of the lab's run.
    assert.deepEqual(step.completionEvents, [`onCommand:procscope.labObserved.${labId}_${part}`]);
    const media = key(step.media.markdown);
    assert.equal(media.en, `media/walkthroughs/${labId}.${part}.md`);
    assert.equal(media.ko, `media/walkthroughs/${labId}.${part}.ko.md`);
    const headings = (text: string) => text.split('\n').filter((l) => /^#{1,3} /.test(l)).length;
    assert.equal(headings(readFileSync(join(ROOT, media.ko), 'utf8')), headings(readFileSync(join(ROOT, media.en), 'utf8')));
  }
  for (const step of walkthrough!.steps.filter((s) => !followUps.includes(s))) {
    const labId = step.id.replace('procscope.lab.', '');
    assert.ok(isLabId(labId));
    key(step.title);
    const description = key(step.description);
    for (const text of [description.en, description.ko]) {
      const button = /\(command:procscope\.runLab\?([^)]+)\)/.exec(text);
      assert.ok(button, `${step.id} has a runLab button`);
      assert.deepEqual(JSON.parse(decodeURIComponent(button[1]!)), [labId]);
    }
    assert.deepEqual(step.completionEvents, [`onCommand:${labObservedCommand(labId)}`]);
    const media = key(step.media.markdown);
    assert.equal(media.en, `media/walkthroughs/${labId}.md`);
    assert.equal(media.ko, `media/walkthroughs/${labId}.ko.md`);
    const enText = readFileSync(join(ROOT, media.en), 'utf8');
    const koText = readFileSync(join(ROOT, media.ko), 'utf8');
    const headings = (text: string) => text.split('\n').filter((l) => /^#{1,3} /.test(l)).length;
    assert.equal(headings(koText), headings(enText), `${labId}: the Korean page has every section`);
    assert.match(koText, /[가-힣]/);
  }
});

test('evaluateLab keeps earlier ticks, speaks the asked language, and a card is complete only when every item is done', () => {
  const snapshot: Snapshot = {
    backend: 'procfs',
    timestamp: 0,
    intervalMs: null,
    processes: [],
    unavailableFields: [],
    system: { bootTime: 0, clockTicks: 100, pageSize: 4096, cpuCount: 2, memTotal: null, hostname: 'h', platform: 'linux' },
  };
  const empty = evaluateLab('locks', { snapshot, pids: [] });
  assert.equal(
    empty.items.some((i) => i.done),
    false,
  );
  assert.equal(isLabComplete(empty), false);
  const previous = { ...empty, items: empty.items.map((i) => ({ ...i, done: i.id === 'deadlock' })) };
  const later = evaluateLab('locks', { snapshot, pids: [] }, { previous, locale: 'ko' });
  assert.deepEqual(
    later.items.filter((i) => i.done).map((i) => i.id),
    ['deadlock'],
  );
  assert.equal(later.title, LABS.locks.title.ko);
  assert.equal(later.items[0]!.text, LABS.locks.items[0]!.ko);
  const otherLab = evaluateLab('ipc', { snapshot, pids: [] }, { previous });
  assert.equal(
    otherLab.items.some((i) => i.done),
    false,
    'ticks of another lab are not carried over',
  );
  const all = { ...empty, items: empty.items.map((i) => ({ ...i, done: true })) };
  assert.equal(isLabComplete(all), true);
  assert.equal(emptyCard('threads', 'ko').items.length, LABS.threads.items.length);
});

test('labCommandLine quotes the path and passes the language; the VS Code step runs no program', () => {
  assert.equal(
    labCommandLine('fork_cow', "/home/o'neil/ext/", 'ko'),
    `env PROCSCOPE_LANG=ko python3 '/home/o'\\''neil/ext/labs/fork_cow.py' --seconds 900`,
  );
  assert.equal(labCommandLine('vscode_itself', '/ext'), null);
  assert.equal(labObservedCommand('ipc'), 'procscope.labObserved.ipc');
});

test("the lab command line, run by the lab terminal's /bin/sh, reaches python3 intact from a hostile extension path", () => {
  const parent = mkdtempSync(join(tmpdir(), 'procscope-labpath-'));
  try {
    // Quotes, a command substitution, backticks, a backslash, a dollar, a newline and a fish-style \' in one folder name.
    const ext = join(parent, `o'brien $(touch pwned) \`touch pwned2\` \\' "q" $HOME\nnext`);
    mkdirSync(join(ext, 'labs'), { recursive: true });
    writeFileSync(
      join(ext, 'labs', LABS.fork_cow.script!),
      'import json, os, sys\nprint(json.dumps([sys.argv[0], sys.argv[1:], os.environ.get("PROCSCOPE_LANG")]))\n',
    );
    const r = spawnSync('/bin/sh', ['-c', labCommandLine('fork_cow', ext, 'ko', 30)!], { cwd: parent, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [join(ext, 'labs', LABS.fork_cow.script!), ['--seconds', '30'], 'ko']);
    assert.deepEqual(readdirSync(parent), [ext.slice(parent.length + 1)], 'nothing in the path ran');
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test('the labs speak Korean for PROCSCOPE_LANG=ko or a ko_* locale, English otherwise', () => {
  const cases: [Record<string, string>, string][] = [
    [{ PROCSCOPE_LANG: 'ko' }, 'ko'],
    [{ LANG: 'ko_KR.UTF-8' }, 'ko'],
    [{ LC_ALL: 'ko_KR.UTF-8', LANG: 'en_US.UTF-8' }, 'ko'],
    [{ PROCSCOPE_LANG: 'en', LANG: 'ko_KR.UTF-8' }, 'en'],
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'C.UTF-8' }, 'en'],
    [{}, 'en'],
  ];
  for (const [vars, expected] of cases) {
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', PYTHONDONTWRITEBYTECODE: '1', ...vars };
    if (process.env['HOME']) env['HOME'] = process.env['HOME'];
    if (process.env['PYENV_ROOT']) env['PYENV_ROOT'] = process.env['PYENV_ROOT'];
    const run = spawnSync(
      'python3',
      ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(join(ROOT, 'labs'))}); import _labkit; print(_labkit.LANG)`],
      { env, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), expected, JSON.stringify(vars));
  }
});

test('walkthrough pictures: every image a page shows exists, in its language, drawn with theme colours', () => {
  const dir = join(ROOT, 'media/walkthroughs');
  const pages = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'KOREAN_TERMS.md');
  const shown = new Set<string>();
  for (const page of pages) {
    const korean = page.endsWith('.ko.md');
    for (const [, alt, src] of readFileSync(join(dir, page), 'utf8').matchAll(/!\[([^\]]*)\]\(([^)]+)\)/g)) {
      assert.ok(alt!.trim().length > 10, `${page}: ${src} has alt text`);
      assert.ok(existsSync(join(dir, src!)), `${page}: ${src} exists`);
      assert.equal(src!.endsWith('.ko.svg'), korean, `${page} shows ${src}: the picture in the page's language`);
      if (korean) assert.match(alt!, /[가-힣]/, `${page}: Korean alt text`);
      shown.add(src!);
    }
  }
  const svgs = readdirSync(dir).filter((f) => f.endsWith('.svg'));
  for (const name of ['states', 'pcb', 'address_space', 'fork_cow', 'ipc_kinds']) {
    for (const file of [`${name}.svg`, `${name}.ko.svg`]) {
      assert.ok(svgs.includes(file), `${file} exists`);
      assert.ok(shown.has(file), `${file} is shown on a page`);
      const text = readFileSync(join(dir, file), 'utf8');
      assert.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.match(text, /var\(--vscode-foreground, #[0-9a-f]{6}\)/, `${file}: theme colour with a fallback`);
      assert.match(text, /prefers-color-scheme: dark/, `${file}: a dark fallback where theme variables do not reach (<img>)`);
      const labels = [...text.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!).join(' ');
      if (file.endsWith('.ko.svg')) assert.match(labels, /[가-힣]/, `${file} is in Korean`);
      else assert.doesNotMatch(labels, /[가-힣]/, `${file} is in English`);
    }
  }
  // The pictures are generated: the committed files are what the generator draws now.
  const run = spawnSync(
    'python3',
    [
      '-c',
      [
        'import sys, json',
        'sys.dont_write_bytecode = True',
        `sys.path.insert(0, ${JSON.stringify(dir)})`,
        'import pictures',
        'print(json.dumps({n: {l: d(pictures.TABLES[n][l]) for l in ("en", "ko")} for n, d in pictures.PICTURES.items()}))',
      ].join('\n'),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
  const drawn = JSON.parse(run.stdout) as Record<string, { en: string; ko: string }>;
  for (const [name, { en: enSvg, ko: koSvg }] of Object.entries(drawn)) {
    assert.equal(readFileSync(join(dir, `${name}.svg`), 'utf8'), enSvg, `${name}.svg is up to date (run media/walkthroughs/pictures.py)`);
    assert.equal(readFileSync(join(dir, `${name}.ko.svg`), 'utf8'), koSvg, `${name}.ko.svg is up to date`);
  }
});

test("Korean vocabulary: the study notes' terms, one name per state, in walkthroughs, lab programs and cards", () => {
  const dir = join(ROOT, 'media/walkthroughs');
  const script = [
    'import json, sys',
    'sys.dont_write_bytecode = True',
    `sys.path.insert(0, ${JSON.stringify(join(ROOT, 'labs'))})`,
    `print(json.dumps([s for name in ${JSON.stringify(LAB_MODULES)} for s in __import__(name).S["ko"].values()], ensure_ascii=False))`,
  ].join('\n');
  const run = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const texts: [string, string][] = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.ko.md') || f.endsWith('.ko.svg'))
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')] as [string, string]),
    ...(JSON.parse(run.stdout) as string[]).map((s) => ['labs', s] as [string, string]),
    ...LAB_IDS.flatMap(
      (id) => [[`card ${id}`, LABS[id].title.ko], ...LABS[id].items.map((i) => [`card ${id}.${i.id}`, i.ko])] as [string, string][],
    ),
  ];
  // Words the notes do not use for these ideas: "준비" (ready is 대기), "수면" (S is 중단), and the older
  // "경쟁 조건", "임계 구역", "문맥 교환" (the notes: 경쟁 상태, 임계 영역, 컨텍스트 스위칭).
  for (const [where, text] of texts) {
    for (const word of ['준비', '수면', '경쟁 조건', '임계 구역', '문맥 교환']) assert.ok(!text.includes(word), `${where} says "${word}"`);
    // 일시 중단 is the suspended (swapped-out) state, never a signal stop.
    for (const line of text.split('\n'))
      if (/SIGSTOP|`T`/.test(line))
        assert.ok(!line.includes('일시 중단') || line.includes('스왑'), `${where}: T is 정지, not 일시 중단: ${line}`);
  }
  // The panel's and the CLI's Korean use the notes' names for the same ideas ("준비" there is an fd being ready).
  for (const f of ['webview/i18n.ts', 'src/cli/messages.ts']) {
    const text = readFileSync(join(dir, '..', '..', f), 'utf8');
    for (const word of ['경쟁 조건', '임계 구역', '문맥 교환']) assert.ok(!text.includes(word), `${f} says "${word}"`);
  }
  const pcb = LABS.pcb_states.items;
  const state = (id: string) => pcb.find((i) => i.id === id)!.ko;
  assert.match(state('state-R'), /실행 또는 대기/);
  assert.match(state('state-S'), /중단, 인터럽트 가능/);
  assert.match(state('state-D'), /중단, 인터럽트 불가/);
  assert.match(state('state-T'), /정지/);
  assert.match(state('state-Z'), /좀비/);
});
