import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { HeraldError } from '../../errors.js';
import { shown } from './project-paths.js';

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

/**
 * The absolute path of `relativeFile` inside `folder`, refusing (`bad_name`) anything that would
 * land outside it: lexically, or through a symlinked sub-folder or file that points elsewhere.
 * Also refuses (`file_exists`) when a file stands where a sub-folder must be made.
 */
export function pathInside(folder: string, relativeFile: string, shownFolder: string): string {
  const file = resolve(folder, relativeFile);
  if (!isInside(folder, file)) {
    throw new HeraldError(
      'bad_name',
      `${relativeFile} would be written outside ${shownFolder}: give a name inside it, e.g. Billing/<Name>.`,
    );
  }
  // Symlinks: compare real locations of what already exists, so a linked sub-folder (or a linked
  // file under --force) cannot carry the write out of the folder.
  if (!existsSync(folder)) return file;
  const realFolder = realpathSync(folder);
  const existing = nearestExisting(dirname(file));
  if (isInside(folder, existing) && !isInside(realFolder, realpathSync(existing))) {
    throw new HeraldError(
      'bad_name',
      `${shown(existing)} links outside ${shownFolder}, so ${relativeFile} would be written outside it: replace the link with a folder, or choose another name.`,
    );
  }
  if (!statSync(existing).isDirectory()) {
    throw new HeraldError(
      'file_exists',
      `${shown(existing)} is a file, so the folder for ${relativeFile} cannot be made: rename or move it.`,
    );
  }
  if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() === true) {
    // A dangling link counts as outside: writing through it would create its target.
    const real = existsSync(file) ? realpathSync(file) : undefined;
    if (real === undefined || !isInside(realFolder, real)) {
      throw new HeraldError(
        'bad_name',
        `${shown(file)} is a link to a file outside ${shownFolder}: remove the link, or choose another name.`,
      );
    }
  }
  return file;
}
