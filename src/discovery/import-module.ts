import { pathToFileURL } from 'node:url';

/** Imports one module by absolute path. */
export type ModuleImporter = (file: string) => Promise<Record<string, unknown>>;

const TYPESCRIPT_FILE = /\.[mc]?ts$/;

let typeScriptImporter: ModuleImporter | undefined;

/**
 * Node's own `import()`, and for TypeScript files Node cannot load, jiti, which (unlike tsx)
 * emits the decorator metadata that constructor injection and `@Listener()` inference read.
 * Under vitest or a TS-aware loader the native path already handles `.ts`.
 */
export const importModule: ModuleImporter = async (file) => {
  // Once Node has refused one TypeScript file, it refuses them all: skip the failing native
  // attempt (about 1 ms a file) and go straight to jiti.
  if (typeScriptImporter !== undefined && TYPESCRIPT_FILE.test(file)) return typeScriptImporter(file);
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    if (!TYPESCRIPT_FILE.test(file) || (error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION')
      throw error;
    typeScriptImporter ??= await createJitiImporter();
    return typeScriptImporter(file);
  }
};

async function createJitiImporter(): Promise<ModuleImporter> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { interopDefault: false });
  return (file) => jiti.import<Record<string, unknown>>(file);
}
