import { pathToFileURL } from 'node:url';
import { importModule, type ModuleImporter } from './import-module.js';

/**
 * How many modules one batch module imports. Its `data:` URL is the base URL Node parses again
 * for every import in it, so a batch stays a few kilobytes; a hundred files already turn a
 * thousand graph walks into ten.
 */
const BATCH_SIZE = 100;

const JAVASCRIPT_FILE = /\.[mc]?js$/;

/**
 * Whether this process's `import()` is Node's own. Under a test runner that loads modules
 * itself (vitest's module runner, jest) a `data:` module would load the files natively beside
 * the runner's copies, so a class a test imported would not be the class discovery found.
 */
function nativeLoaderOnly(): boolean {
  return process.env.VITEST === undefined && process.env.JEST_WORKER_ID === undefined;
}

/**
 * Imports `files` and settles one result per file, in order, as `Promise.allSettled` would.
 *
 * Why batches: on Node 20 every top-level `import()` walks the whole module graph under the
 * imported file (`addJobsToDependencyGraph`), and every decorated module imports herald, whose
 * graph (with inversify's) is a few hundred modules. A thousand parallel imports walked it a
 * thousand times: a third of a 1,000-class app's boot (bench:boot). One `data:` module that
 * imports a hundred files walks it once. Only for herald's own importer on JavaScript files
 * under Node's loader; everything else, and every file of a batch that failed, is imported one
 * by one as before, so a failure still names its own file (ES modules keep their result: a
 * module the batch evaluated is not evaluated again).
 */
export async function importModules(
  files: readonly string[],
  importer: ModuleImporter,
): Promise<PromiseSettledResult<Record<string, unknown>>[]> {
  const results: (PromiseSettledResult<Record<string, unknown>> | undefined)[] = files.map(() => undefined);
  const batched = importer === importModule && nativeLoaderOnly();
  const javascript = batched
    ? files.flatMap((file, index) => (JAVASCRIPT_FILE.test(file) ? [index] : []))
    : [];
  const batches: number[][] = [];
  for (let start = 0; start < javascript.length; start += BATCH_SIZE) {
    batches.push(javascript.slice(start, start + BATCH_SIZE));
  }
  const one = async (index: number): Promise<void> => {
    try {
      results[index] = { status: 'fulfilled', value: await importer(files[index] as string) };
    } catch (error) {
      // A custom importer may throw synchronously: that is a failure of that file like any other.
      results[index] = { status: 'rejected', reason: error };
    }
  };
  const batch = async (indexes: readonly number[]): Promise<void> => {
    try {
      const namespaces = await importBatch(indexes.map((index) => files[index] as string));
      for (const [position, index] of indexes.entries()) {
        results[index] = { status: 'fulfilled', value: namespaces[position] ?? {} };
      }
    } catch {
      await Promise.all(indexes.map(one));
    }
  };
  const inBatches = new Set(javascript);
  const alone = files.flatMap((_, index) => (inBatches.has(index) ? [] : [index]));
  await Promise.all([...batches.map(batch), ...alone.map(one)]);
  return results as PromiseSettledResult<Record<string, unknown>>[];
}

/** One module that imports every file and exports their namespaces, in order. */
async function importBatch(files: readonly string[]): Promise<Record<string, unknown>[]> {
  const imports = files.map(
    (file, index) => `import * as m${index} from ${JSON.stringify(pathToFileURL(file).href)};`,
  );
  const source = `${imports.join('\n')}\nexport default [${files.map((_, index) => `m${index}`).join(', ')}];`;
  const batch = (await import(`data:text/javascript,${encodeURIComponent(source)}`)) as {
    default: Record<string, unknown>[];
  };
  return batch.default;
}
