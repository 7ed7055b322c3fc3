import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Config file names looked for, in this order, in each folder from the starting folder up. */
export const CONFIG_FILE_NAMES = [
  'herald.config.ts',
  'herald.config.mts',
  'herald.config.js',
  'herald.config.mjs',
];

/** The compiled (JavaScript) config names: what a process running compiled code loads. */
export const COMPILED_CONFIG_NAMES = ['herald.config.js', 'herald.config.mjs'];

const JAVASCRIPT_FILE = /\.[mc]?js$/;

// herald's own package folder: its CLI (`node_modules/.bin/herald`) is a JavaScript entry too,
// but it serves TypeScript projects, so it never counts as "the app's compiled entry".
const HERALD_PACKAGE = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Finds `herald.config.*` in `start` or the nearest folder above it; in each folder the config
 * may also sit in `src/` (the tsc `rootDir: "src"` layout keeps it there so it is compiled with
 * the app). `names` narrows the file names (compiled configs only, for compiled entries).
 */
export function findConfigFile(
  start: string,
  names: readonly string[] = CONFIG_FILE_NAMES,
): string | undefined {
  for (let folder = resolve(start); ; folder = dirname(folder)) {
    for (const base of [folder, join(folder, 'src')]) {
      for (const name of names) {
        const candidate = join(base, name);
        if (existsSync(candidate)) return candidate;
      }
    }
    if (dirname(folder) === folder) return undefined;
  }
}

/**
 * The running app's compiled entry module (`node dist/src/server.js` gives `dist/src/server.js`),
 * or undefined when the process did not start from the app's own JavaScript: a TypeScript entry,
 * a tool under node_modules (vitest, tsx), herald's own CLI, or no entry at all (a REPL).
 */
export function compiledEntry(entry: string | undefined = process.argv[1]): string | undefined {
  if (entry === undefined || entry === '' || !JAVASCRIPT_FILE.test(entry)) return undefined;
  let real: string;
  try {
    real = realpathSync(entry);
  } catch {
    return undefined;
  }
  if (real.includes(`${sep}node_modules${sep}`) || real.startsWith(HERALD_PACKAGE)) return undefined;
  return real;
}

/** Whether a config or module file is JavaScript (compiled) rather than TypeScript. */
export function isJavaScriptFile(file: string): boolean {
  return JAVASCRIPT_FILE.test(file);
}
