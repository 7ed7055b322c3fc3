import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stubs herald ships, one per variant; `stub:publish` copies these. */
export const STUB_NAMES = [
  'event',
  'listener',
  'listener.queued',
  'listener.typed',
  'listener.typed.queued',
  'subscriber',
  'config',
] as const;

/** One of herald's stubs. */
export type StubName = (typeof STUB_NAMES)[number];

/**
 * The package's `stubs/` folder. This module sits at `dist/cli/generate/` (or `src/cli/generate/`
 * when run from source), three levels below the package root where `stubs/` is published.
 */
export const PACKAGE_STUBS_DIR = fileURLToPath(new URL('../../../stubs/', import.meta.url));

/** A stub's text and the file it came from. */
export interface LoadedStub {
  readonly name: StubName;
  readonly file: string;
  readonly text: string;
}

/** The file name of a stub: `listener.typed` → `listener.typed.stub`. */
export function stubFileName(name: StubName): string {
  return `${name}.stub`;
}

/**
 * Reads a stub, preferring the project's published copy in `projectStubsDir` (Laravel's rule:
 * a published stub wins) over the one herald ships.
 */
export function loadStub(name: StubName, projectStubsDir: string): LoadedStub {
  const published = join(projectStubsDir, stubFileName(name));
  const file = existsSync(published) ? published : join(PACKAGE_STUBS_DIR, stubFileName(name));
  return { name, file, text: readFileSync(file, 'utf8') };
}

/** A stub as messages name it: the project's copy by path, herald's own by name. */
export function describeStub(stub: LoadedStub): string {
  return stub.file.startsWith(PACKAGE_STUBS_DIR)
    ? `herald's ${stub.name}.stub`
    : relative(process.cwd(), stub.file).split('\\').join('/');
}
