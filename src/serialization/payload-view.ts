/**
 * What `queue:failed --payload` and the dashboard's job page show of a job: the event's fields as
 * readable JSON (the codec's tagged nodes turned into plain values), secrets masked, long values
 * cut. Proved by test/cli/payload-view.test.ts, test/cli/queue-admin.test.ts and
 * test/dashboard/job-page.test.ts.
 */

/** What a masked value reads as. */
export const REDACTED = '[redacted]';
/** Longest string shown whole; longer ones are cut and say how much is left out. */
export const MAX_STRING = 200;
/** Most array items / object keys shown per level. */
export const MAX_ENTRIES = 20;
/** Deepest level shown. */
export const MAX_DEPTH = 6;

/**
 * Key names masked by default, wherever they appear (compared without case, `_` or `-`, as
 * substrings): credentials that should not land in a terminal or a CI log.
 */
export const DEFAULT_REDACTED_KEYS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'authorization',
  'cookie',
  'cardnumber',
  'cvv',
] as const;

/** A payload as shown: plain JSON values. */
export type PayloadView = null | boolean | number | string | PayloadView[] | { [key: string]: PayloadView };
type View = PayloadView;

/** How much of a payload is shown; the defaults are the constants above. */
export interface PayloadLimits {
  readonly maxString: number;
  readonly maxEntries: number;
  readonly maxDepth: number;
}

const CLI_LIMITS: PayloadLimits = { maxString: MAX_STRING, maxEntries: MAX_ENTRIES, maxDepth: MAX_DEPTH };

/** Options of {@link payloadView}. */
export interface PayloadViewOptions {
  /**
   * Key paths to mask besides the defaults: `card.number` (from the event's root; `*` matches
   * any one key or index) or a bare key such as `email`, which matches that key at any depth.
   */
  readonly redact?: readonly string[];
  /**
   * Cut points (default {@link MAX_STRING}, {@link MAX_ENTRIES}, {@link MAX_DEPTH}); the
   * dashboard shows whole values (`Infinity`) and cuts the printed text instead.
   */
  readonly limits?: Partial<PayloadLimits>;
}

function normalise(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Redactor {
  readonly #anywhere: Set<string>;
  readonly #paths: string[][];

  constructor(redact: readonly string[]) {
    const parts = redact.map((path) => path.split('.').filter((part) => part !== ''));
    this.#anywhere = new Set(parts.filter((path) => path.length === 1).map((path) => path[0] as string));
    this.#paths = parts.filter((path) => path.length > 1);
  }

  masks(path: readonly string[]): boolean {
    const key = path[path.length - 1];
    if (key === undefined) return false;
    if (this.#anywhere.has(key)) return true;
    const plain = normalise(key);
    if (DEFAULT_REDACTED_KEYS.some((secret) => plain.includes(secret))) return true;
    return this.#paths.some(
      (wanted) =>
        wanted.length === path.length && wanted.every((part, i) => part === '*' || part === path[i]),
    );
  }
}

function cutString(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars)`;
}

/** A codec tagged node (`{ $t, v?, n? }`, see payload-tags.ts) as a readable value, else undefined. */
function untag(node: Record<string, unknown>): { value: unknown } | undefined {
  if (typeof node.$t !== 'string') return undefined;
  const v = node.v;
  switch (node.$t) {
    case 'und':
      return { value: 'undefined' };
    case 'num':
    case 'date':
      return { value: v ?? 'Invalid Date' };
    case 'big':
      return { value: `${String(v)}n` };
    case 'map':
      return {
        value: Array.isArray(v)
          ? Object.fromEntries(
              v.map((entry) => (Array.isArray(entry) ? [String(entry[0]), entry[1]] : ['?', entry])),
            )
          : v,
      };
    case 'set':
    case 'obj':
    case 'nobj':
    case 'cls':
      return { value: v };
    case 'u8':
    case 'buf': {
      const bytes = typeof v === 'string' ? Buffer.from(v, 'base64').length : '?';
      return { value: `<${node.$t === 'buf' ? 'Buffer' : 'Uint8Array'}, ${bytes} bytes>` };
    }
    default:
      return undefined;
  }
}

/** Where {@link view} is: the key path, the redactor and the limits. */
interface ViewScope {
  readonly redactor: Redactor;
  readonly limits: PayloadLimits;
}

/** `literal`: the object's keys are data even if one is `$t` (the codec's escaped objects). */
function view(value: unknown, path: string[], scope: ViewScope, literal = false): View {
  const { redactor, limits } = scope;
  if (path.length > 0 && redactor.masks(path)) return REDACTED;
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return cutString(value, limits.maxString);
  if (path.length > limits.maxDepth) return '…';
  const max = limits.maxEntries;
  if (Array.isArray(value)) {
    const shown = value.slice(0, max).map((item, i) => view(item, [...path, String(i)], scope));
    if (value.length > max) shown.push(`… (${value.length - max} more items)`);
    return shown;
  }
  if (isRecord(value)) {
    const tagged = literal ? undefined : untag(value);
    // A tagged node stands for its value at the same path (a Map's keys become object keys).
    if (tagged !== undefined)
      return view(tagged.value, path, scope, value.$t === 'obj' || value.$t === 'nobj');
    const keys = Object.keys(value);
    const shown: { [key: string]: View } = {};
    for (const key of keys.slice(0, max)) shown[key] = view(value[key], [...path, key], scope);
    if (keys.length > max) shown['…'] = `${keys.length - max} more keys`;
    return shown;
  }
  return String(value);
}

/**
 * The readable, masked, cut view of a failed job's stored data: its event payload when the
 * data is herald's wire format, else the data itself (text that was not JSON stays text).
 *
 * @example
 * payloadView(job.data, { redact: ['card.number', 'email'] });
 */
export function payloadView(data: unknown, options: PayloadViewOptions = {}): View {
  const scope = {
    redactor: new Redactor(options.redact ?? []),
    limits: { ...CLI_LIMITS, ...options.limits },
  };
  const payload = isRecord(data) && 'payload' in data ? data.payload : data;
  return view(payload, [], scope);
}
