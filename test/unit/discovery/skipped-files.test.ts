import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withHerald } from '../boot/boot-helpers.js';
import { spyImporter } from './discovery-helpers.js';

// Built at run time in a temp folder: a *.test.ts fixture inside test/ would be collected and run
// by vitest itself. Every skipped file throws if imported, so importing one fails boot.
const HERALD = fileURLToPath(new URL('../../../src/index.ts', import.meta.url));
let root: string;

function write(path: string, source: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), source);
}

const THROWS = `throw new Error('discovery must not import this file');\n`;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'herald-discovery-skip-'));
  write(
    'listeners/kept-listener.ts',
    `import { Event, Listener } from ${JSON.stringify(HERALD)};
@Event('skip.kept') export class Kept {}
@Listener(Kept) export class KeptListener { handle(): void {} }
`,
  );
  write('listeners/kept-listener.test.ts', THROWS);
  write('listeners/kept-listener.spec.ts', THROWS);
  write('listeners/nested/deep.test.ts', THROWS);
  write('listeners/types.d.ts', `export declare const x: number;\n${THROWS}`);
  write('listeners/node_modules/dep/index.ts', THROWS);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('discovery skips test files, declaration files and node_modules', () => {
  it.each([['listeners'], ['listeners/**/*.ts'], ['**/*']])(
    'discover: [%j] imports only the real module',
    async (entry) => {
      const spy = spyImporter();
      await withHerald(
        { root, discover: [entry] },
        (herald) => {
          expect(spy.imported).toEqual([join(root, 'listeners/kept-listener.ts')]);
          expect(herald.getListeners('skip.kept').map((info) => info.name)).toEqual(['KeptListener']);
        },
        { importModule: spy.importer },
      );
    },
  );
});
