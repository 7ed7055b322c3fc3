import { fileURLToPath } from 'node:url';

const OXC_RUNTIME_HELPER = /[\\/]@oxc-project[+/]runtime[@/\\]/;

const FRAME_LOCATION = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?$/;

function frameFile(line: string): string | undefined {
  const match = FRAME_LOCATION.exec(line.trim());
  if (match?.[1] === undefined) return undefined;
  return match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1];
}

/**
 * Herald's own source folder, as stack frames spell it. Read off a stack captured here rather than
 * from import.meta.url: loaders (vitest, jiti, bundlers) may report frames under another path than
 * the module URL, and then herald's own frames were taken for the user's file.
 */
const HERALD_SOURCE_DIR = (() => {
  const own = (new Error().stack ?? '')
    .split('\n')
    .slice(1)
    .map(frameFile)
    .find((file) => file !== undefined);
  const fromUrl = fileURLToPath(new URL('..', import.meta.url));
  if (own === undefined) return fromUrl;
  const parts = own.split(/[\\/]/);
  return parts.slice(0, -2).join('/') + '/';
})();

/**
 * The file of the first stack frame outside herald: the module that applied a decorator or
 * called `defineConfig`. Best effort: boot errors use it to name the file of a bad class, and
 * it is `undefined` when the stack says nothing usable (some bundlers strip it).
 */
export function callerFile(): string | undefined {
  // Node keeps 10 frames by default; decorator helpers and loaders can use most of them.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack;
  Error.stackTraceLimit = limit;
  if (stack === undefined) return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const file = frameFile(line);
    if (file === undefined) continue;
    if (file.startsWith(HERALD_SOURCE_DIR) || file.includes('/node_modules/') || file.startsWith('node:'))
      continue;
    // Decorator helpers that are not in the user's file: Vite/vitest serve oxc's `__decorate` as a
    // virtual module (`/root/\0@oxc-project+runtime@x/helpers/esm/decorate.js`), which is neither
    // under node_modules nor the user's file. Without this, every class "came from" that helper,
    // so discovery missed unexported classes and boot errors named the wrong file.
    if (file.includes('\0') || OXC_RUNTIME_HELPER.test(file)) continue;
    return file;
  }
  return undefined;
}
