// A DAP recording keeps no environment values: a launch request's env, a runInTerminal request's, any depth.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { withoutEnv } from '../../src/extension/debug/dapRedact';

describe('withoutEnv', () => {
  it('replaces the values of every env object, keeps the names and everything else', () => {
    const launch = {
      type: 'request',
      command: 'launch',
      arguments: { program: 'a.js', env: { TOKEN: 's3cret', PATH: '/bin' }, args: [{ env: { X: '1' } }] },
    };
    assert.deepEqual(withoutEnv(launch), {
      type: 'request',
      command: 'launch',
      arguments: { program: 'a.js', env: { TOKEN: '(not recorded)', PATH: '(not recorded)' }, args: [{ env: { X: '(not recorded)' } }] },
    });
    assert.equal(launch.arguments.env.TOKEN, 's3cret', 'the message itself is not changed');
    assert.deepEqual(withoutEnv({ env: 'text', n: null, list: [1, 'a'] }), { env: 'text', n: null, list: [1, 'a'] });
  });

  it('leaves no environment value in the recorded fixtures', () => {
    const root = join(__dirname, '..', 'fixtures', 'dap');
    for (const dir of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const file of readdirSync(join(root, dir.name)).filter((f) => f.endsWith('.jsonl'))) {
        for (const line of readFileSync(join(root, dir.name, file), 'utf8')
          .split('\n')
          .filter(Boolean)) {
          const parsed = JSON.parse(line) as unknown;
          if ((parsed as { kind?: string }).kind === 'dap') assert.deepEqual(withoutEnv(parsed), parsed, `${dir.name}/${file}`);
        }
      }
    }
  });
});
