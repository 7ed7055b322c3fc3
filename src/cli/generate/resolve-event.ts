import { dirname, sep } from 'node:path';
import { HeraldError } from '../../errors.js';
import { parseClassName } from './class-name.js';
import { type FoundEvent, findEventClasses } from './find-events.js';
import { type ProjectPaths, shown } from './project-paths.js';
import { pathInside } from './target-path.js';

/**
 * Finds the event a listener is generated for (`--event OrderShipped` or `Billing/InvoicePaid`):
 * the file `make:event` would have written for that name, else the one `@Event` class of that
 * name anywhere in the events folder (hand-written events need not follow the file naming).
 * Refuses with `unknown_event` when there is none, and `bad_name` when the name is ambiguous.
 */
export async function resolveEvent(input: string, paths: ProjectPaths): Promise<FoundEvent> {
  const folder = shown(paths.events);
  const name = parseClassName(input, { what: 'event', folder });
  const conventional = pathInside(paths.events, name.relativeFile, folder);
  const known = await findEventClasses(paths.events);
  const exact = known.find((found) => found.file === conventional && found.className === name.className);
  if (exact !== undefined) return exact;
  const inFolder = input.includes('/') ? `${dirname(conventional)}${sep}` : undefined;
  const sameName = known.filter(
    (found) =>
      found.className === name.className && (inFolder === undefined || found.file.startsWith(inFolder)),
  );
  const only = sameName.length === 1 ? sameName[0] : undefined;
  if (only !== undefined) return only;
  if (sameName.length > 1) {
    throw new HeraldError(
      'bad_name',
      `Several events are named ${name.className} (${sameName.map((found) => shown(found.file)).join(', ')}): pass the sub-path, e.g. --event Folder/${name.className}.`,
    );
  }
  const names = [...new Set(known.map((found) => found.className))].sort();
  const choices = names.length === 0 ? `there are none in ${folder} yet` : `known: ${names.join(', ')}`;
  throw new HeraldError(
    'unknown_event',
    `No @Event class ${name.className} in ${folder} (looked for ${shown(conventional)}; ${choices}): create it with herald make:event ${input}, or check the name.`,
  );
}
