/**
 * Which module files an app discovers: `'js'` for a compiled app (its config is JavaScript),
 * `'ts'` for one running its TypeScript sources. Undefined (a config object whose file is
 * unknown): both, with a `.ts` source preferred over a `.js` beside it, as for `'ts'`.
 */
export type ModuleLanguage = 'js' | 'ts';

const TYPESCRIPT = /\.[mc]?ts$/;
const JAVASCRIPT = /\.[mc]?js$/;

/** The language of the app whose config is `file`. */
export function moduleLanguageOf(file: string | undefined): ModuleLanguage | undefined {
  if (file === undefined) return undefined;
  if (TYPESCRIPT.test(file)) return 'ts';
  if (JAVASCRIPT.test(file)) return 'js';
  return undefined;
}

function stem(file: string): string {
  return file.replace(/\.[mc]?[jt]s$/, '');
}

/**
 * Keeps the modules an app of `language` may import. A compiled app never imports a `.ts` file:
 * its compiled classes and the sources' would be two copies of every class (the `duplicate_name`
 * at dispatch that test/app/production-layouts.test.ts reproduces). A TypeScript app imports
 * `x.ts` and skips an `x.js` beside it (a stray compile); a lone `.js` module is still its own.
 */
export function onlyLanguage(files: readonly string[], language: ModuleLanguage | undefined): string[] {
  if (language === 'js') return files.filter((file) => !TYPESCRIPT.test(file));
  const sources = new Set(files.filter((file) => TYPESCRIPT.test(file)).map(stem));
  if (sources.size === 0) return [...files];
  return files.filter((file) => !JAVASCRIPT.test(file) || !sources.has(stem(file)));
}
