import type { JobPayload } from '../../job/job-payload.js';

/**
 * The fields of one stream entry, in XADD order: the job wire format without `listener`
 * (one entry serves every listener of the stream). `payload` and `meta` are JSON text; `meta`
 * keeps only what belongs to the dispatch (`traceparent`), not a listener's own `tags`.
 */
export function entryFields(data: JobPayload): string[] {
  return [
    'v',
    String(data.v),
    'dispatchId',
    data.dispatchId,
    'event',
    data.event,
    'payload',
    JSON.stringify(data.payload),
    'dispatchedAt',
    data.dispatchedAt,
    'meta',
    data.meta.traceparent === undefined ? '{}' : JSON.stringify({ traceparent: data.meta.traceparent }),
  ];
}

/**
 * The job data of an entry as read by a listener's group: its fields with `listener` added, in
 * the shape readJobPayload checks. Never throws: a malformed entry comes back as it is, and the
 * JobRunner rejects it as `bad_payload`.
 */
export function jobDataOf(fields: readonly string[], listener: string): unknown {
  return wellFormedJobData(fields, listener) ?? anyJobData(fields, listener);
}

/**
 * The common case, an entry exactly as entryFields wrote it: one object literal of a fixed shape.
 * Building a record key by key and spreading it made dictionary-mode objects, and was with the
 * JSON parsing the worker's largest cost per entry in `npm run bench:streams`' profile.
 * Undefined for anything else (another field order, extra fields, a payload that is not JSON).
 */
function wellFormedJobData(fields: readonly string[], listener: string): unknown {
  if (
    fields.length !== 12 ||
    fields[0] !== 'v' ||
    fields[2] !== 'dispatchId' ||
    fields[4] !== 'event' ||
    fields[6] !== 'payload' ||
    fields[8] !== 'dispatchedAt' ||
    fields[10] !== 'meta'
  ) {
    return undefined;
  }
  const payload = parseJson(fields[7]);
  if (payload === NOT_JSON) return undefined;
  const metaText = fields[11] as string;
  // Most entries carry no trace context: skip the parse (a fresh object, as JSON.parse gives).
  const meta = metaText === '{}' ? {} : parseJson(metaText);
  return {
    v: Number(fields[1]),
    dispatchId: fields[3],
    event: fields[5],
    payload,
    dispatchedAt: fields[9],
    meta: meta === NOT_JSON ? metaText : meta,
    listener,
  };
}

/** Any entry, field by field: what is missing stays missing, for readJobPayload to refuse. */
function anyJobData(fields: readonly string[], listener: string): unknown {
  const record: Record<string, unknown> = {};
  for (let index = 0; index + 1 < fields.length; index += 2) {
    record[fields[index] as string] = fields[index + 1];
  }
  const data: Record<string, unknown> = { ...record, listener };
  if (typeof record.v === 'string') data.v = Number(record.v);
  // Text that is not JSON leaves the field out (payload) or not an object (meta), which
  // readJobPayload refuses as bad_payload.
  if ('payload' in record) {
    const payload = parseJson(record.payload);
    if (payload === NOT_JSON) delete data.payload;
    else data.payload = payload;
  }
  if ('meta' in record) {
    const meta = parseJson(record.meta);
    data.meta = meta === NOT_JSON ? String(record.meta) : meta;
  }
  return data;
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return NOT_JSON;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}
