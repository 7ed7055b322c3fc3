/** The built-ins whose instances keep their state in internal slots that no payload carries. */
const SLOTTED_BUILTINS: readonly (readonly [string, object])[] = [
  ['Map', Map.prototype],
  ['Set', Set.prototype],
  ['WeakMap', WeakMap.prototype],
  ['WeakSet', WeakSet.prototype],
  ['Date', Date.prototype],
  ['Array', Array.prototype],
  // %TypedArray%.prototype: Uint8Array, Buffer, Float64Array... all inherit from it.
  ['a typed array', Object.getPrototypeOf(Uint8Array.prototype) as object],
  ['ArrayBuffer', ArrayBuffer.prototype],
  ['SharedArrayBuffer', SharedArrayBuffer.prototype],
  ['DataView', DataView.prototype],
  ['Promise', Promise.prototype],
  ['RegExp', RegExp.prototype],
  ['WeakRef', WeakRef.prototype],
];

/**
 * The built-in a class extends whose instances cannot be revived (`Map`, `Set`, `Date`, `Array`,
 * a typed array...), or undefined. Reviving uses `Object.create(Class.prototype)`, which makes
 * an object without the built-in's internal slots: its methods then throw, and the entries an
 * encoder would skip (they are not own properties) are lost. Both `@Serializable` and the
 * encoder refuse such classes (test/unit/serialization/codec.edges.test.ts).
 */
export function slottedBuiltinBase(target: Function): string | undefined {
  // Cached per class: the encoder asks for every class instance of every dispatch.
  let base = baseByClass.get(target);
  if (base === undefined) {
    base = findBase(target.prototype) ?? null;
    baseByClass.set(target, base);
  }
  return base ?? undefined;
}

const baseByClass = new WeakMap<Function, string | null>();

function findBase(proto: unknown): string | undefined {
  if (typeof proto !== 'object' || proto === null) return undefined;
  for (const [name, builtin] of SLOTTED_BUILTINS) {
    if (proto !== builtin && Object.prototype.isPrototypeOf.call(builtin, proto)) return name;
  }
  return undefined;
}

/** The fix to name when a class extends a built-in: hold one in a property instead. */
export function slottedBuiltinAdvice(className: string, base: string): string {
  return `class ${className} extends ${base}, whose contents live in internal slots that a queued job cannot carry (it would arrive empty and unusable): hold the ${base === 'a typed array' ? 'bytes' : base} in a property instead, e.g. readonly items = new Map(), and do not extend it`;
}
