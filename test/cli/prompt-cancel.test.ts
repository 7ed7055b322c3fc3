import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  createTempProject,
  JITI_BIN,
  REPO_ROOT,
  type TempProject,
} from '../support/temp-project.js';

const PROMPT_MODULE = pathToFileURL(join(REPO_ROOT, 'src', 'cli', 'generate', 'prompt.ts')).href;

// ask() reads process.stdin, so it runs in a child whose stdin ends at once: the same end of
// input as Ctrl-D on a terminal (Ctrl-C closes the interface the same way).
const ASK_ONCE = `
import { HeraldError } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'src', 'errors.ts')).href)};
import { ask, closePrompts } from ${JSON.stringify(PROMPT_MODULE)};
try {
  await ask('Event class name: ', (answer) => answer);
  console.log('answered');
} catch (error) {
  console.log(JSON.stringify({ name: error.name, heraldError: HeraldError.is(error), message: error.message }));
} finally {
  closePrompts();
}
`;

describe('ask()', () => {
  let project: TempProject;

  beforeAll(() => {
    project = createTempProject('herald-prompt');
    project.write('ask-once.ts', ASK_ONCE);
  });

  afterAll(() => project.remove());

  it('ask() - input that ends before an answer cancels with CommandRefused, not a bad_name HeraldError', async () => {
    const child = spawn(process.execPath, [JITI_BIN, 'ask-once.ts'], {
      cwd: project.dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = await collect(child);
    expect(result.stderr).toBe('');
    const outcome = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '');
    expect(outcome).toEqual({
      name: 'CommandRefused',
      heraldError: false,
      message: 'Cancelled: no name was given, nothing was written.',
    });
  });
});
