/**
 * A JSON value: what {@link encodePayload} produces and {@link decodePayload} reads back.
 * `JSON.parse(JSON.stringify(encoded))` deep-equals `encoded`, so any queue driver may store it
 * as text.
 *
 * Values JSON cannot express travel as tagged nodes, objects whose `$t` key names the type (see
 * `payload-tags.ts` for the full list), e.g. `{ "$t": "date", "v": "2024-05-01T10:00:00.000Z" }`.
 */
export type EncodedPayload = null | boolean | number | string | EncodedPayload[] | EncodedObject;

/** A JSON object inside an {@link EncodedPayload}. */
export interface EncodedObject {
  [key: string]: EncodedPayload;
}
