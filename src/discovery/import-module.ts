import { pathToFileURL } from 'node:url';

/** Imports one module by absolute path. */
export type ModuleImporter = (file: string) => Promise<Record<string, unknown>>;

const TYPESCRIPT_FILE = /\.[mc]?ts$/;

/**
 * How TypeScript files load in this process, decided once by the first one: `undefined` when
 * Node's own `import()` takes them (vitest, a TS-aware loader), else jiti. Shared as a promise
 * because discovery imports many files at once: they all wait for that one decision instead of
 * each failing a native attempt first and creating its own jiti.
 */
let typeScriptRoute: Promise<ModuleImporter | undefined> | undefined;

const nativeImport: ModuleImporter = async (file) =>
  (await import(pathToFileURL(file).href)) as Record<string, unknown>;

/**
 * Node's own `import()`, and for TypeScript files Node cannot load, jiti, which (unlike tsx)
 * emits the decorator metadata that constructor injection and `@Listener()` inference read.
 * Under vitest or a TS-aware loader the native path already handles `.ts`.
 */
export const importModule: ModuleImporter = async (file) => {
  if (!TYPESCRIPT_FILE.test(file)) return nativeImport(file);
  if (typeScriptRoute === undefined) {
    const first = nativeImport(file);
    typeScriptRoute = first.then(
      () => undefined,
      (error: unknown) =>
        (error as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION' ? createJitiImporter() : undefined,
    );
    const route = await typeScriptRoute;
    // Node loaded it (or failed for another reason, which is this file's own error).
    return route === undefined ? first : route(file);
  }
  const route = await typeScriptRoute;
  return route === undefined ? nativeImport(file) : route(file);
};

async function createJitiImporter(): Promise<ModuleImporter> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { interopDefault: false });
  // One jiti import at a time: jiti fills its module cache only once a module has loaded, so a
  // listener module requiring an event module while discovery's own import of that event module
  // is still pending evaluated it twice (two classes, one wire name: a duplicate_name boot error;
  // test/cli/jiti-parallel-discovery.test.ts).
  let previous: Promise<unknown> = Promise.resolve();
  return (file) => {
    const next = previous.then(() => jiti.import<Record<string, unknown>>(file));
    previous = next.catch(() => undefined);
    return next;
  };
}
