import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event } from '../../../src/index.js';
import { decorationOf } from '../../../src/metadata/decoration-log.js';
import { createModuleFolder, HERALD_ENTRY, type ModuleFolder } from '../../support/module-folder.js';
import { bootFailure } from '../boot/boot-helpers.js';

const HERALD = HERALD_ENTRY;
let folder: ModuleFolder;
let root: string;

beforeAll(() => {
  folder = createModuleFolder('herald-caller-file');
  root = folder.root;
  const { write } = folder;
  // A dependency that applies a decorator through many frames of its own: more than the first,
  // shallow capture keeps, so the file is found only by the deeper one.
  write(
    'node_modules/deep-apply/package.json',
    JSON.stringify({ name: 'deep-apply', type: 'module', exports: './index.js' }),
  );
  write(
    'node_modules/deep-apply/index.js',
    `export function applyDeep(decorator, target, depth = 30) {
  if (depth === 0) return decorator(target);
  const result = applyDeep(decorator, target, depth - 1);
  return result;
}
`,
  );
  write(
    'app/deep-listener.ts',
    `import { applyDeep } from 'deep-apply';
import { Event, Listener } from ${HERALD};
@Event('deep.applied') export class DeepApplied {}
export class DeepListener { handle(): void {} }
applyDeep(Listener(DeepApplied, { tries: 0 }), DeepListener);
`,
  );
});

afterAll(() => folder.remove());

describe('callerFile: which module declared a decorated class', () => {
  it('is the decorating module, even when a dependency applies the decorator many frames down', async () => {
    const error = await bootFailure({ root: join(root, 'app'), discover: ['.'] });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('DeepListener');
    expect(error.message).toContain(join(root, 'app/deep-listener.ts'));
  });

  it("leaves another library's Error.prepareStackTrace and the stack limit as they were", () => {
    const savedPrepare = Error.prepareStackTrace;
    const savedLimit = Error.stackTraceLimit;
    const custom = (): string => 'prepared by another library';
    try {
      Error.prepareStackTrace = custom;
      Error.stackTraceLimit = 7;
      @Event('caller-file.prepare')
      class Prepared {}
      expect(Error.prepareStackTrace).toBe(custom);
      expect(Error.stackTraceLimit).toBe(7);
      expect(new Error('x').stack).toBe('prepared by another library');
      // And the file is still found while it is installed.
      expect(decorationOf(Prepared)?.file).toBe(fileURLToPath(import.meta.url));
    } finally {
      Error.prepareStackTrace = savedPrepare;
      Error.stackTraceLimit = savedLimit;
    }
  });
});
