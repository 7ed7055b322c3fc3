import { existsSync, readFileSync } from 'node:fs';
import { glob } from 'tinyglobby';

/** An event class found in the events folder by reading its source. */
export interface FoundEvent {
  readonly className: string;
  readonly file: string;
}

// `@Event(...)`, maybe more decorators, then a named exported class. Reading source instead of
// importing it keeps generators from running user code (and from needing a booted app).
const EVENT_CLASS =
  /@Event\([^)]*\)\s*(?:@[\w.]+(?:\([^)]*\))?\s*)*export\s+(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/g;

/** The `@Event` classes declared in the TypeScript files under `folder`, sorted by file. */
export async function findEventClasses(folder: string): Promise<FoundEvent[]> {
  if (!existsSync(folder)) return [];
  const files = await glob('**/*.{ts,mts,cts}', {
    cwd: folder,
    absolute: true,
    ignore: ['**/node_modules/**', '**/*.d.ts', '**/*.test.*', '**/*.spec.*'],
  });
  const found: FoundEvent[] = [];
  for (const file of files.sort()) {
    for (const match of readFileSync(file, 'utf8').matchAll(EVENT_CLASS)) {
      if (match[1] !== undefined) found.push({ className: match[1], file });
    }
  }
  return found;
}
