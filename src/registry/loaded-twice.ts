import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HeraldError } from '../errors.js';
import type { AnyClass } from '../metadata/class-types.js';
import { allDecorations, decorationOf, decorationsIn } from '../metadata/decoration-log.js';

const TYPESCRIPT = /\.[mc]?ts$/;
const MODULE_EXTENSION = /\.[mc]?[jt]s$/;

/** Two classes that are one module's class, loaded twice. */
export interface LoadedTwice {
  /** The copy this app registered. */
  readonly registered: AnyClass;
  readonly registeredFile: string;
  /** The other copy, which other code in the process holds. */
  readonly other: AnyClass;
  readonly otherFile: string;
}

const packageRoots = new Map<string, string | undefined>();

/** The folder of the nearest package.json above a file (cached per folder). */
function packageRootOf(file: string): string | undefined {
  const folder = dirname(file);
  if (packageRoots.has(folder)) return packageRoots.get(folder);
  const root = existsSync(join(folder, 'package.json'))
    ? folder
    : dirname(folder) === folder
      ? undefined
      : packageRootOf(folder);
  packageRoots.set(folder, root);
  return root;
}

// A source and its compiled copy belong to one project: same nearest package.json. Two projects
// (or two test fixtures) that each declare an OrderPlaced in order-placed.ts are not one module.
function samePackage(a: string, b: string): boolean {
  const root = packageRootOf(a);
  return root !== undefined && root === packageRootOf(b);
}

/**
 * Whether a file's decorations repeat as whole generations (A, B, A', B') with `a` and `b` at the
 * same place in two of them: the module was evaluated twice. One module that declares two
 * classes of one name (a factory called twice, a test file) does not repeat from its first class.
 */
function evaluatedTwice(file: string, a: AnyClass, b: AnyClass): boolean {
  const list = decorationsIn(file);
  const names = list.map((decoration) => decoration.target.name);
  const at = (target: AnyClass) => list.findIndex((decoration) => decoration.target === target);
  for (let period = 1; period < names.length; period++) {
    if (!names.every((name, index) => name === names[index % period])) continue;
    return at(a) % period === at(b) % period;
  }
  return false;
}

/**
 * Whether two distinct classes are the same declaration loaded twice: same class name, and the
 * same file evaluated twice (two module loaders, e.g. vitest and herald's discovery), or a `.ts` source and a
 * `.js` compiled copy of the same file name (e.g. `src/events/x.ts` and `dist/src/events/x.js`).
 */
export function sameDeclaration(a: AnyClass, b: AnyClass): LoadedTwice | undefined {
  if (a === b || a.name !== b.name) return undefined;
  const fileA = decorationOf(a)?.file;
  const fileB = decorationOf(b)?.file;
  if (fileA === undefined || fileB === undefined) return undefined;
  const twins =
    (fileA === fileB && evaluatedTwice(fileA, a, b)) ||
    (basename(fileA).replace(MODULE_EXTENSION, '') === basename(fileB).replace(MODULE_EXTENSION, '') &&
      TYPESCRIPT.test(fileA) !== TYPESCRIPT.test(fileB) &&
      samePackage(fileA, fileB));
  return twins ? { registered: a, registeredFile: fileA, other: b, otherFile: fileB } : undefined;
}

/**
 * The first registered class that another copy of the same declaration shadows in this process
 * (see `sameDeclaration`), found in the decoration log. Boot runs it so the mistake fails boot,
 * not the first dispatch (test/unit/boot/loaded-twice.test.ts).
 */
export function findLoadedTwice(registered: Iterable<AnyClass>): LoadedTwice | undefined {
  const mine = new Set(registered);
  const byName = new Map<string, AnyClass[]>();
  for (const { target } of allDecorations()) {
    if (mine.has(target)) continue;
    byName.set(target.name, [...(byName.get(target.name) ?? []), target]);
  }
  for (const target of mine) {
    for (const other of byName.get(target.name) ?? []) {
      const twice = sameDeclaration(target, other);
      if (twice !== undefined) return twice;
    }
  }
  return undefined;
}

/** The `duplicate_name` error for a module loaded twice: what happened, by what, and the fix. */
export function loadedTwiceError(twice: LoadedTwice, wireName?: string): HeraldError {
  const { registered, registeredFile, otherFile } = twice;
  const claim = wireName === undefined ? '' : ` (both claim the wire name "${wireName}")`;
  if (registeredFile === otherFile) {
    return new HeraldError(
      'duplicate_name',
      `${registeredFile} was loaded twice, as two separate modules (by herald's discovery and by your code's import, through another module loader such as a test runner), so there are two ${registered.name} classes${claim} and the one your code uses is not the one herald registered. Fix: let discovery import through your module system, e.g. createHerald((await loadConfig({ import: (specifier) => import(specifier) })).config) in tests (README "Testing your app"); elsewhere import the app's modules one way only.`,
    );
  }
  const source = TYPESCRIPT.test(registeredFile) ? registeredFile : otherFile;
  const compiled = source === registeredFile ? otherFile : registeredFile;
  return new HeraldError(
    'duplicate_name',
    `${registered.name} was loaded twice${claim}: from the TypeScript source ${source} and from its compiled copy ${compiled} (herald's discovery loaded ${registeredFile}, your code imported ${otherFile}). A process runs one or the other: run compiled JavaScript with the compiled config (the herald.config.js tsc writes beside it, or HERALD_CONFIG; README "Running in production"), or run the TypeScript sources throughout.`,
  );
}
