import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HeraldError } from '../../errors.js';
import { shown } from './project-paths.js';

/** One file a generator is about to write. */
export interface PlannedFile {
  readonly path: string;
  readonly content: string;
  /** What it is, for the report: `event`, `listener`, `subscriber`, `config`, `stub`. */
  readonly what: string;
  /** An update of a file herald wrote before (the generated config): written over, never refused. */
  readonly update?: boolean;
}

/**
 * Checks a whole plan before anything is written, so a refusal leaves the project untouched:
 * two planned files with one path (`ABTest` and `AbTest` both make `ab-test.ts`) are a
 * `bad_name`, and existing files are a `file_exists` unless `force`.
 */
export function checkPlan(files: readonly PlannedFile[], force: boolean): void {
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) {
      throw new HeraldError(
        'bad_name',
        `Two of the names given would both write ${shown(file.path)}: give distinct names. Nothing was written.`,
      );
    }
    seen.add(file.path);
  }
  if (force) return;
  const existing = files
    .filter((file) => file.update !== true && existsSync(file.path))
    .map((file) => shown(file.path));
  if (existing.length > 0) {
    const list = existing.join(', ');
    throw new HeraldError(
      'file_exists',
      `${list} already ${existing.length === 1 ? 'exists' : 'exist'}: nothing was written. Pass --force to overwrite, or choose another name.`,
    );
  }
}

/** Writes a checked plan; returns, per file, whether it replaced an existing one. */
export function writePlan(
  files: readonly PlannedFile[],
  force: boolean,
): { file: PlannedFile; replaced: boolean }[] {
  return files.map((file) => {
    const replaced = existsSync(file.path);
    mkdirSync(dirname(file.path), { recursive: true });
    // 'wx' without --force: a file that appeared since checkPlan is still never overwritten.
    writeFileSync(file.path, file.content, { flag: force || file.update === true ? 'w' : 'wx' });
    return { file, replaced };
  });
}
