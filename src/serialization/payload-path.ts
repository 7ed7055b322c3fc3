/**
 * One step of a property path inside a payload. A string is an object property, a number an
 * array index; Map and Set entries have their own segments. The codecs keep a stack of these
 * and render it only when they report an error, so the happy path builds no strings.
 */
export type PathSegment = string | number | CollectionSegment;

/** A step into a Map or a Set: the `index` is the entry's position in iteration order. */
export interface CollectionSegment {
  /** Whether the step goes to a Map entry's key, a Map entry's value, or a Set item. */
  readonly kind: 'map-key' | 'map-value' | 'set-item';
  /** Position of the entry in iteration order, from 0. */
  readonly index: number;
  /** For `map-value`: the entry's key, shown as `.get(key)` when it is a primitive. */
  readonly key?: unknown;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Longer paths show their first and last {@link PATH_ENDS} segments around a count of the rest. */
const MAX_SEGMENTS = 8;
const PATH_ENDS = 3;
/** A property name or Map key longer than this is cut, so hostile data cannot bloat a message. */
const MAX_SEGMENT_TEXT = 24;

/**
 * Renders a path in JavaScript accessor style, starting at `root`:
 *
 * - `event.owner.name`, `event["first name"]`, `event.items[2]`
 * - `event.lookup.get("sku-1")` a Map value under a primitive key, otherwise
 *   `event.lookup.values()[3]`; a Map key is `event.lookup.keys()[3]`
 * - `event.tags.values()[0]` a Set item
 *
 *
 * Error messages stay short whatever the payload: a path of more than 8 segments shows its first
 * and last 3 around `…(n more)…`, and names or keys past 24 characters are cut with `…`.
 *
 * @example
 * renderPath('event', ['items', 2, 'owner']); // 'event.items[2].owner'
 */
export function renderPath(root: string, segments: readonly PathSegment[]): string {
  let path = root;
  if (segments.length <= MAX_SEGMENTS) {
    for (const segment of segments) path += renderSegment(segment);
    return path;
  }
  for (let i = 0; i < PATH_ENDS; i++) path += renderSegment(segments[i] as PathSegment);
  path += `…(${segments.length - 2 * PATH_ENDS} more)…`;
  for (let i = segments.length - PATH_ENDS; i < segments.length; i++) {
    path += renderSegment(segments[i] as PathSegment);
  }
  return path;
}

/** `text` cut to {@link MAX_SEGMENT_TEXT} characters, marked with `…` when cut. */
function cut(text: string): string {
  return text.length <= MAX_SEGMENT_TEXT ? text : `${text.slice(0, MAX_SEGMENT_TEXT)}…`;
}

function renderSegment(segment: PathSegment): string {
  if (typeof segment === 'number') return `[${segment}]`;
  if (typeof segment === 'string') {
    const name = cut(segment);
    return IDENTIFIER.test(segment.slice(0, MAX_SEGMENT_TEXT)) ? `.${name}` : `[${JSON.stringify(name)}]`;
  }
  if (segment.kind === 'map-key') return `.keys()[${segment.index}]`;
  if (segment.kind === 'set-item') return `.values()[${segment.index}]`;
  const key = renderPrimitiveKey(segment.key);
  return key === undefined ? `.values()[${segment.index}]` : `.get(${key})`;
}

function renderPrimitiveKey(key: unknown): string | undefined {
  switch (typeof key) {
    case 'string':
      return JSON.stringify(cut(key));
    case 'number':
      return Object.is(key, -0) ? '-0' : String(key);
    case 'bigint':
      return `${key}n`;
    case 'boolean':
    case 'undefined':
      return String(key);
    default:
      return key === null ? 'null' : undefined;
  }
}
