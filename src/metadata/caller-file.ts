import { fileURLToPath } from 'node:url';

const OXC_RUNTIME_HELPER = /[\\/]@oxc-project[+/]runtime[@/\\]/;

/** One V8 call site, as a structured `Error.prepareStackTrace` receives it (only what we read). */
interface CallSite {
  getFileName(): string | null | undefined;
}

// A decorator sits a few frames above the module that applied it (herald's decorator, the
// `__decorate` helper, reflect-metadata): the first capture keeps only this many frames, and a
// second, deep one runs only when all of them were herald's or a loader's.
const SHALLOW_FRAMES = 12;
// Loaders and decorator helpers can stack many frames between the decorator and the module.
const DEEP_FRAMES = 50;

const keepFrames = (_error: Error, frames: CallSite[]): CallSite[] => frames;

/**
 * The call sites above `below` (excluded), structured rather than printed: V8 hands them to
 * `Error.prepareStackTrace` without formatting a stack string, which costs far more than the
 * capture. Another library's `prepareStackTrace` (source maps, loaders) is restored right after.
 */
function callSites(limit: number, below: (...args: never[]) => unknown): CallSite[] {
  const savedLimit = Error.stackTraceLimit;
  const savedPrepare = Error.prepareStackTrace;
  const holder: { stack?: unknown } = {};
  try {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = keepFrames as typeof Error.prepareStackTrace;
    Error.captureStackTrace(holder, below);
    // Read while our prepareStackTrace is installed: V8 prepares the stack on first access.
    const frames = holder.stack;
    return Array.isArray(frames) ? (frames as CallSite[]) : [];
  } finally {
    Error.stackTraceLimit = savedLimit;
    Error.prepareStackTrace = savedPrepare;
  }
}

function toPath(name: string): string | undefined {
  if (name.startsWith('file://')) return fileURLToPath(name);
  return name.startsWith('/') || /^[A-Za-z]:\\/.test(name) ? name : undefined;
}

/**
 * Herald's own source folder, as call sites spell it. Read off a stack captured here rather than
 * from import.meta.url: loaders (vitest, jiti, bundlers) may report frames under another path than
 * the module URL, and then herald's own frames were taken for the user's file.
 */
const HERALD_SOURCE_DIR = (() => {
  const name = callSites(1, callSites)[0]?.getFileName();
  const own = typeof name === 'string' ? toPath(name) : undefined;
  const fromUrl = fileURLToPath(new URL('..', import.meta.url));
  if (own === undefined) return fromUrl;
  const parts = own.split(/[\\/]/);
  return `${parts.slice(0, -2).join('/')}/`;
})();

function userFile(name: string): string | undefined {
  const file = toPath(name);
  if (file === undefined) return undefined;
  if (file.startsWith(HERALD_SOURCE_DIR) || file.includes('/node_modules/') || file.startsWith('node:'))
    return undefined;
  // Decorator helpers that are not in the user's file: Vite/vitest serve oxc's `__decorate` as a
  // virtual module (`/root/\0@oxc-project+runtime@x/helpers/esm/decorate.js`), which is neither
  // under node_modules nor the user's file. Without this, every class "came from" that helper,
  // so discovery missed unexported classes and boot errors named the wrong file
  // (test/unit/boot/decorators.test.ts).
  return file.includes('\0') || OXC_RUNTIME_HELPER.test(file) ? undefined : file;
}

// What each script name a call site reported turned out to be (a user file, or null for herald's,
// a loader's or a helper's): one app has a few thousand of them, and every decorated class walks
// the same herald frames, so each name is converted and classified once.
const classified = new Map<string, string | null>();

function firstUserFile(frames: readonly CallSite[]): string | undefined {
  for (const frame of frames) {
    const name = frame.getFileName();
    if (typeof name !== 'string' || name === '') continue;
    let file = classified.get(name);
    if (file === undefined) {
      file = userFile(name) ?? null;
      classified.set(name, file);
    }
    if (file !== null) return file;
  }
  return undefined;
}

/**
 * The file of the first stack frame outside herald: the module that applied a decorator or
 * called `defineConfig`. Best effort: boot errors use it to name the file of a bad class, and
 * it is `undefined` when the stack says nothing usable (some bundlers strip it).
 */
export function callerFile(): string | undefined {
  const shallow = callSites(SHALLOW_FRAMES, callerFile);
  const found = firstUserFile(shallow);
  if (found !== undefined || shallow.length < SHALLOW_FRAMES) return found;
  return firstUserFile(callSites(DEEP_FRAMES, callerFile));
}
