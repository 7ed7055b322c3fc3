import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/** dist/ is built from src/ by the test global setup (test/setup/build-global-setup.ts). */
const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url));
const ORMS = /^(kysely|knex|drizzle-orm)(\/|$)/;

/** Every package a built module loads, following its relative imports through dist/. */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seenFiles = new Set<string>();
  const visit = (file: string): void => {
    if (seenFiles.has(file)) return;
    seenFiles.add(file);
    const code = readFileSync(file, 'utf8');
    const specifiers = [...code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?['"]([^'"]+)['"]/g)].map(
      (match) => match[1] as string,
    );
    for (const match of code.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g))
      specifiers.push(match[1] as string);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(resolve(DIST, entry));
  return packages;
}

describe('the adapter entries load only their own library', () => {
  it('herald/pg (dist/transactions/adapters/pg.js) imports no kysely, knex or drizzle, nor pg itself', () => {
    const loaded = [...packagesLoadedBy('transactions/adapters/pg.js')];
    // The walk reached the transaction scope (it loads node:async_hooks), so it did follow imports.
    expect(loaded).toContain('node:async_hooks');
    expect(loaded.filter((name) => ORMS.test(name) || name === 'pg')).toEqual([]);
  });

  it.each(['kysely', 'knex', 'drizzle'])(
    'herald/%s imports none of the ORM libraries at run time',
    (name) => {
      const loaded = [...packagesLoadedBy(`transactions/adapters/${name}.js`)];
      expect(loaded.filter((specifier) => ORMS.test(specifier) || specifier === 'pg')).toEqual([]);
    },
  );

  it('herald/pg imports in a process where kysely, knex and drizzle-orm cannot be resolved', () => {
    // A resolve hook that fails for the ORM packages, as in a project that never installed them.
    const hook = `data:text/javascript,${encodeURIComponent(
      `export async function resolve(specifier, context, next) {
        if (${ORMS}.test(specifier)) throw new Error('not installed: ' + specifier);
        return next(specifier, context);
      }`,
    )}`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(hook)});`;
    const entry = pathToFileURL(resolve(DIST, 'transactions/adapters/pg.js')).href;
    const output = execFileSync(
      process.execPath,
      [
        '--import',
        `data:text/javascript,${encodeURIComponent(register)}`,
        '--input-type=module',
        '-e',
        `const pg = await import(${JSON.stringify(entry)}); console.log(typeof pg.transaction);
         await import('kysely').then(() => console.log('kysely loaded'), () => console.log('kysely refused'));`,
      ],
      { encoding: 'utf8' },
    );
    expect(output.trim().split('\n')).toEqual(['function', 'kysely refused']);
  });
});
