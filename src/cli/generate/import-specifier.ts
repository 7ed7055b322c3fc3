import { dirname, relative, sep } from 'node:path';

const TS_EXTENSION: Readonly<Record<string, string>> = {
  '.ts': '.js',
  '.tsx': '.js',
  '.mts': '.mjs',
  '.cts': '.cjs',
};

/**
 * The relative import specifier from one module file to another, as NodeNext ESM wants it:
 * `/`-separated, starting with `./` or `../`, and with the extension the compiled file will have
 * (`order-shipped.ts` is imported as `order-shipped.js`).
 */
export function importSpecifier(fromFile: string, toFile: string): string {
  let specifier = relative(dirname(fromFile), toFile).split(sep).join('/');
  const extension = /\.(?:tsx?|mts|cts)$/.exec(specifier)?.[0];
  if (extension !== undefined)
    specifier = specifier.slice(0, -extension.length) + (TS_EXTENSION[extension] ?? '.js');
  return specifier.startsWith('../') ? specifier : `./${specifier}`;
}
