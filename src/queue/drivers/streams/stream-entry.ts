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
