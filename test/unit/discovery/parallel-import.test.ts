import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule, type ModuleImporter } from '../../../src/discovery/import-module.js';
import { createModuleFolder, HERALD_ENTRY, type ModuleFolder } from '../../support/module-folder.js';
import { bootFailure, withHerald } from '../boot/boot-helpers.js';

// Discovery imports every module at once and reads the results in sorted file order. These
// modules are written at run time in a temp folder (as skipped-files.test.ts does) so each test
// owns its module instances.
const HERALD = HERALD_ENTRY;
let folder: ModuleFolder;
let root: string;

beforeAll(() => {
  folder = createModuleFolder('herald-discovery-parallel');
  root = folder.root;
  const { write } = folder;
  // a-listeners.ts imports z-events.ts, so z-events is evaluated (and its classes decorated)
  // first; discovery order must still be a's classes, then z's in declaration order.
  write(
    'order/a-listeners.ts',
    `import { Event, Listener } from ${HERALD};
import { ZTwo } from './z-events.js';
@Event('par.a') export class AOne {}
@Listener(ZTwo) export class AListensToZTwo { handle(): void {} }
@Listener(ZTwo) class AHidden { handle(): void {} }
void AHidden;
`,
  );
  write(
    'order/z-events.ts',
    `import { Event, Listener } from ${HERALD};
@Event('par.z-two') export class ZTwo {}
@Event('par.z-one') export class ZOne {}
@Listener(ZTwo) class ZHidden { handle(): void {} }
void ZHidden;
`,
  );
  // Two broken modules and a good one between them.
  write('broken/b-broken.ts', `throw new Error('b-broken exploded');\n`);
  write(
    'broken/m-ok.ts',
    `import { Event } from ${HERALD};
@Event('par.ok') export class ParOk {}
`,
  );
  write('broken/y-broken.ts', `throw new Error('y-broken exploded');\n`);
  // A listener declared in a module outside the discover folder, re-exported from inside it:
  // found through the re-export, but its file is where it was declared.
  write(
    'outside/declared-here.ts',
    `import { Event, Listener } from ${HERALD};
@Event('par.outside') export class Outside {}
@Listener(Outside, { tries: 0 }) export class BadTries { handle(): void {} }
`,
  );
  write('reexport/index.ts', `export { BadTries, Outside } from '../outside/declared-here.js';\n`);
});

afterAll(() => folder.remove());

/** An importer that releases its results only once every file was asked for, last file first. */
function reversedImporter(expected: number): { importer: ModuleImporter; asked: string[] } {
  const asked: string[] = [];
  const gates: (() => void)[] = [];
  const importer: ModuleImporter = async (file) => {
    asked.push(file);
    const gate = new Promise<void>((resolve) => gates.push(resolve));
    // Discovery that awaited each import before starting the next would never get here for
    // the last file: the first import waits for it (the test then times out).
    if (asked.length === expected) for (const open of [...gates].reverse()) open();
    await gate;
    return importModule(file);
  };
  return { importer, asked };
}

describe('discovery imports in parallel, in sorted order', () => {
  it('every import starts before any is awaited, and the order is the sorted one, not completion order', async () => {
    const { importer, asked } = reversedImporter(2);
    await withHerald(
      { root: join(root, 'order'), discover: ['.'] },
      (herald) => {
        expect(asked).toEqual([join(root, 'order/a-listeners.ts'), join(root, 'order/z-events.ts')]);
        expect(herald.eventClasses().map((target) => target.name)).toEqual(['AOne', 'ZTwo', 'ZOne']);
        expect(herald.getListeners('par.z-two').map((info) => info.name)).toEqual([
          'AListensToZTwo',
          'AHidden',
          'ZHidden',
        ]);
      },
      { importModule: importer },
    );
  });

  it('unexported classes of a module another discovered module imports are found once, in their own file', async () => {
    await withHerald({ root: join(root, 'order'), discover: ['z-events.ts', 'a-listeners.ts'] }, (herald) => {
      expect(herald.getListeners('par.z-two').map((info) => info.name)).toEqual([
        'AListensToZTwo',
        'AHidden',
        'ZHidden',
      ]);
    });
  });

  it('when several modules throw, the first failing file in sorted order is named, whichever failed first', async () => {
    const broken = join(root, 'broken');
    // y-broken rejects at once; b-broken only after y-broken has failed.
    let yFailed: () => void = () => {};
    const yDone = new Promise<void>((resolve) => {
      yFailed = resolve;
    });
    const importer: ModuleImporter = async (file) => {
      if (file.endsWith('y-broken.ts')) {
        try {
          return await importModule(file);
        } finally {
          yFailed();
        }
      }
      if (file.endsWith('b-broken.ts')) await yDone;
      return importModule(file);
    };
    const error = await bootFailure({ root: broken, discover: ['.'] }, { importModule: importer });
    expect(error.kind).toBe('discovery_failed');
    expect(error.message).toContain(join(broken, 'b-broken.ts'));
    expect(error.message).toContain('b-broken exploded');
    expect(error.message).not.toContain('y-broken');
    expect((error.cause as Error).message).toBe('b-broken exploded');
  });

  it('the same file is named with herald’s own importer', async () => {
    const error = await bootFailure({ root: join(root, 'broken'), discover: ['.'] });
    expect(error.kind).toBe('discovery_failed');
    expect(error.message).toContain(join(root, 'broken/b-broken.ts'));
  });

  it('a class re-exported from a module outside discover is found, and errors name the file that declared it', async () => {
    const error = await bootFailure({ root: join(root, 'reexport'), discover: ['.'] });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('BadTries');
    expect(error.message).toContain(join(root, 'outside/declared-here.ts'));
    expect(error.message).not.toContain('reexport');
  });
});
