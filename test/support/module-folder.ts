import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** herald's source entry as a string literal, for `import { Event } from ${HERALD_ENTRY}` in written modules. */
export const HERALD_ENTRY = JSON.stringify(fileURLToPath(new URL('../../src/index.ts', import.meta.url)));

/** A temp folder of modules a test writes at run time, so the test owns their module instances. */
export interface ModuleFolder {
  readonly root: string;
  /** Writes a module (folders created), relative to the root. */
  write(path: string, source: string): void;
  remove(): void;
}

/** Makes a fresh module folder under the OS temp folder, named after `name`. */
export function createModuleFolder(name: string): ModuleFolder {
  const root = mkdtempSync(join(tmpdir(), `${name}-`));
  return {
    root,
    write(path, source) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), source);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
