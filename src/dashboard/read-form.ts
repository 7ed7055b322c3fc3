import type { IncomingMessage } from 'node:http';

/** Largest action body read (a form with a handful of fields). */
export const MAX_FORM_BYTES = 16 * 1024;

/** Thrown when a body passes {@link MAX_FORM_BYTES}: the action answers 413. */
export class FormTooLarge extends Error {}

/**
 * The fields of an action's form body (`application/x-www-form-urlencoded`, or JSON from the
 * page script). A body an earlier middleware already parsed (Express's `req.body`) is used as is.
 */
export async function readForm(request: IncomingMessage): Promise<Map<string, string>> {
  const parsed = (request as IncomingMessage & { body?: unknown }).body;
  if (typeof parsed === 'object' && parsed !== null && !Buffer.isBuffer(parsed)) return fieldsOf(parsed);
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new FormTooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if ((request.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      const json: unknown = JSON.parse(text);
      return typeof json === 'object' && json !== null ? fieldsOf(json) : new Map();
    } catch {
      return new Map();
    }
  }
  return new Map(new URLSearchParams(text));
}

function fieldsOf(object: object): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === 'string' || typeof value === 'number') fields.set(key, String(value));
  }
  return fields;
}
