import { HeraldError } from '../errors.js';
import { isListenerLike } from '../listeners/decorator-declarations.js';
import type { AnyClass } from '../metadata/class-types.js';
import { decorationOf, decorationsIn } from '../metadata/decoration-log.js';
import { eventMetadataOf, serializableMetadataOf } from '../metadata/event-metadata.js';
import { findModuleFiles } from './find-files.js';
import { importModules } from './import-batch.js';
import { importModule, type ModuleImporter } from './import-module.js';

/** What discovery found, in discovery order (files sorted, classes in declaration order). */
export interface DiscoveredClasses {
  readonly files: readonly string[];
  /** The files that declared at least one herald class (what a manifest lists). */
  readonly heraldFiles: readonly string[];
  /** Listener and subscriber classes. */
  readonly listeners: readonly AnyClass[];
  /** Event and `@Serializable` classes. */
  readonly events: readonly AnyClass[];
}

function isHeraldClass(value: unknown): value is AnyClass {
  return (
    isListenerLike(value) ||
    eventMetadataOf(value) !== undefined ||
    serializableMetadataOf(value) !== undefined
  );
}

/**
 * Imports every module under the `discover` entries once and collects the herald-decorated
 * classes declared there: exported ones, and unexported ones the decorators recorded for that
 * file. A module that throws while loading fails discovery with its file name and the cause.
 */
export async function discoverClasses(
  entries: readonly string[],
  root: string,
  importer: ModuleImporter = importModule,
): Promise<DiscoveredClasses> {
  return importClasses(await findModuleFiles(entries, root), importer);
}

/**
 * Imports the given module files and collects their herald classes (see above). The imports run
 * in parallel (each module still evaluates on its own, so the classes of one file are decorated
 * in declaration order); the results are then read in the order of `files`, so discovery order
 * never depends on which import finished first (test/unit/discovery/parallel-import.test.ts).
 */
export async function importClasses(
  files: readonly string[],
  importer: ModuleImporter = importModule,
): Promise<DiscoveredClasses> {
  const results = await importAll(files, importer);
  const found = new Set<AnyClass>();
  const ordered: AnyClass[] = [];
  const heraldFiles: string[] = [];
  for (const [index, file] of files.entries()) {
    const exports = results[index] ?? {};
    const inFile = new Set<AnyClass>();
    for (const value of Object.values(exports)) if (isHeraldClass(value)) inFile.add(value);
    for (const decoration of decorationsIn(file)) inFile.add(decoration.target);
    if (inFile.size > 0) heraldFiles.push(file);
    const sorted = [...inFile].sort(
      (a, b) => (decorationOf(a)?.sequence ?? 0) - (decorationOf(b)?.sequence ?? 0),
    );
    for (const target of sorted) {
      if (found.has(target)) continue;
      found.add(target);
      ordered.push(target);
    }
  }
  return {
    files,
    heraldFiles,
    listeners: ordered.filter((target) => isListenerLike(target)),
    events: ordered.filter((target) => !isListenerLike(target)),
  };
}

/**
 * Starts every import at once (in the order of `files`) and waits for all of them. When some fail,
 * the first failing file in that order is the one reported, whichever failed first in time, so the
 * error is the same on every boot (test/unit/discovery/failing-module.test.ts).
 */
async function importAll(
  files: readonly string[],
  importer: ModuleImporter,
): Promise<Record<string, unknown>[]> {
  const settled = await importModules(files, importer);
  const exports: Record<string, unknown>[] = [];
  for (const [index, result] of settled.entries()) {
    if (result.status === 'fulfilled') {
      exports.push(result.value);
      continue;
    }
    const error: unknown = result.reason;
    const reason = error instanceof Error ? error.message : String(error);
    throw new HeraldError(
      'discovery_failed',
      `herald could not load ${files[index]} during discovery: ${reason}. Fix the module (or exclude it from discover).`,
      { cause: error },
    );
  }
  return exports;
}
