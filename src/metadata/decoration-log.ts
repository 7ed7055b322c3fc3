import type { AnyClass } from './class-types.js';

/** One class that a herald decorator was applied to, in the order decorators ran. */
export interface Decoration {
  readonly target: AnyClass;
  /** The module that declared it, when the stack told us. */
  readonly file: string | undefined;
  /** Position in the process-wide decoration order; discovery sorts classes of one file by it. */
  readonly sequence: number;
}

// A process-wide log, but only a log: nothing is *registered* by decorating. Apps pick classes
// out of it by file during discovery, so a class declared without `export` is still found.
const decorations = new Map<AnyClass, Decoration>();
// By file, so discovery looks up one module's classes without walking the whole log per file.
const byFile = new Map<string, Decoration[]>();
let nextSequence = 0;

/** Records that `target` was decorated in `file` (first decoration wins). */
export function recordDecoration(target: AnyClass, file: string | undefined): Decoration {
  const existing = decorations.get(target);
  if (existing !== undefined) return existing;
  const decoration: Decoration = { target, file, sequence: nextSequence++ };
  decorations.set(target, decoration);
  if (file !== undefined) byFile.set(file, [...(byFile.get(file) ?? []), decoration]);
  return decoration;
}

/** The decoration record of a class, if a herald decorator touched it. */
export function decorationOf(target: AnyClass): Decoration | undefined {
  return decorations.get(target);
}

/** Every decoration recorded so far, in decoration order. */
export function allDecorations(): readonly Decoration[] {
  return [...decorations.values()];
}

/** The decorations recorded for classes declared in one file, in decoration order. */
export function decorationsIn(file: string): readonly Decoration[] {
  return byFile.get(file) ?? [];
}
