// Usage errors every command shares (src/cli/common.ts), through the CLI's own entry point: a value given to
// an option that takes none is not called a missing value, and an empty --proc-root is refused as a usage
// error (exit 2) before any command reads it, as `show` refuses it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli';
import type { CliIo } from '../../src/cli/io';

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  };
  const code = await main(args, io, env);
  return { code, out, err };
}

/** Each command with its options that take no value (as its parseArgs table declares them), and any argument it needs first. */
const BOOLEAN_OPTIONS: { command: string; lead?: string[]; options: string[] }[] = [
  { command: 'snapshot', options: ['--json', '--no-threads'] },
  { command: 'ps', options: ['--json'] },
  { command: 'ipc', options: ['--json', '--all-kinds', '--sysv', '--no-ss'] },
  { command: 'ipcs', options: ['--json'] },
  { command: 'locks', options: ['--json'] },
  { command: 'waits', options: ['--json', '--all'] },
  { command: 'who', lead: ['/'], options: ['--json'] },
  { command: 'sys', options: ['--json'] },
  { command: 'record', options: ['--threads'] },
  { command: 'replay', options: ['--events', '--json'] },
  { command: 'show', lead: ['1'], options: ['--json', '--env'] },
];

/** Each command's options that need a value. */
const STRING_OPTIONS: { command: string; lead?: string[]; options: string[] }[] = [
  { command: 'snapshot', options: ['--backend', '--proc-root'] },
  { command: 'ps', options: ['--proc-root'] },
  { command: 'ipc', options: ['--pid', '--kind', '--maps', '--proc-root'] },
  { command: 'waits', options: ['--pid', '--proc-root'] },
  { command: 'sys', options: ['--interval'] },
  { command: 'record', options: ['--seconds', '--max-size'] },
  { command: 'replay', options: ['--at'] },
];

describe('an option given a value it does not take', () => {
  for (const { command, lead = [], options } of BOOLEAN_OPTIONS) {
    for (const option of options) {
      for (const given of [`${option}=1`, `${option}=`]) {
        it(`${command} ${given}: says the option takes no value (exit 2)`, async () => {
          const r = await run([command, ...lead, given]);
          assert.equal(r.code, 2, r.err);
          assert.equal(r.out, '');
          assert.equal(r.err.split('\n')[0], `procscope: option '${option}' takes no value`);
          assert.match(r.err, new RegExp(`usage: procscope ${command} `), 'then the help of the command');
        });
      }
    }
  }

  it('names an option that has a short form by both names, and says it in Korean too', async () => {
    assert.equal((await run(['ps', '--help=yes'])).err.split('\n')[0], "procscope: option '-h, --help' takes no value");
    assert.equal(
      (await run(['ps', '--json=1'], { PROCSCOPE_LANG: 'ko' })).err.split('\n')[0],
      "procscope: 옵션 '--json'에는 값을 붙일 수 없습니다",
    );
  });
});

describe('an option missing its value', () => {
  for (const { command, lead = [], options } of STRING_OPTIONS) {
    for (const option of options) {
      it(`${command} ${option} (last, or before another option): says it needs a value (exit 2)`, async () => {
        for (const args of [[option], [option, '--json']]) {
          const r = await run([command, ...lead, ...args]);
          assert.equal(r.code, 2, r.err);
          assert.equal(r.err.split('\n')[0], `procscope: option '${option}' needs a value`, args.join(' '));
        }
      });
    }
  }

  it('names an option that has a short form by both names', async () => {
    assert.equal((await run(['record', '-o'])).err.split('\n')[0], "procscope: option '-o, --output' needs a value");
  });
});

describe('an empty --proc-root', () => {
  const commands: { command: string; lead?: string[] }[] = [
    { command: 'snapshot' },
    { command: 'ps' },
    { command: 'show', lead: ['1'] },
    { command: 'ipc' },
    { command: 'ipc', lead: ['--sysv'] },
    { command: 'ipcs' },
    { command: 'locks' },
    { command: 'waits' },
    { command: 'who', lead: ['/'] },
    { command: 'sys' },
    { command: 'record' },
  ];
  for (const { command, lead = [] } of commands) {
    it(`${[command, ...lead].join(' ')}: is refused as a usage error, like show refuses it (exit 2)`, async () => {
      for (const args of [['--proc-root='], ['--proc-root', '']]) {
        const r = await run([command, ...lead, ...args]);
        assert.equal(r.code, 2, r.err);
        assert.equal(r.out, '');
        assert.equal(r.err.split('\n')[0], 'procscope: --proc-root needs a directory', args.join(' '));
      }
    });
  }

  it('says so in Korean too', async () => {
    const r = await run(['ps', '--proc-root='], { PROCSCOPE_LANG: 'ko' });
    assert.equal(r.err.split('\n')[0], 'procscope: --proc-root에는 디렉터리가 필요합니다');
  });

  it('still shows the help when asked for it', async () => {
    const r = await run(['ps', '--proc-root=', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^usage: procscope ps /);
  });
});

describe('an option given twice', () => {
  for (const { command, lead = [], options } of STRING_OPTIONS) {
    for (const option of options) {
      it(`${command} ${option} twice: refused, not the last one quietly taken (exit 2)`, async () => {
        const r = await run([command, ...lead, option, '1', option, '2']);
        assert.equal(r.code, 2, r.err);
        assert.equal(r.err.split('\n')[0], `procscope: option '${option}' is given more than once: give it once`);
      });
    }
  }

  it('says so in Korean too; a flag given twice is harmless and accepted', async () => {
    const ko = await run(['waits', '--pid', '1', '--pid', '2'], { PROCSCOPE_LANG: 'ko' });
    assert.equal(ko.err.split('\n')[0], "procscope: 옵션 '--pid'이(가) 여러 번 주어졌습니다: 한 번만 주세요");
    assert.equal((await run(['sys', '--json', '--json', '--interval', '10'])).code, 0);
  });
});

describe('ipc --sysv with an option it cannot apply', () => {
  for (const extra of [['--pid', '1'], ['--kind', 'pipe'], ['--all-kinds'], ['--no-ss'], ['--maps', 'never']]) {
    it(`ipc --sysv ${extra.join(' ')}: refused (exit 2)`, async () => {
      const r = await run(['ipc', '--sysv', ...extra]);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err.split('\n')[0], `procscope: --sysv prints every SysV object as ipcs does: '${extra[0]}' does not apply to it`);
    });
  }
});
