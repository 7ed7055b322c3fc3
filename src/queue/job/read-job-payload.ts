import { HeraldError } from '../../errors.js';
import { type JobPayload, WIRE_FORMAT_VERSION } from './job-payload.js';

/** The fields every job must carry as non-empty strings (checked on every job, hence a constant). */
const REQUIRED_STRINGS = ['dispatchId', 'event', 'listener', 'dispatchedAt'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the shape of job data read off a queue (a string is parsed as JSON first) and returns
 * it typed. Anything else — another version, missing fields, malformed JSON — is `bad_payload`.
 */
export function readJobPayload(raw: unknown): JobPayload {
  let data = raw;
  if (typeof raw === 'string') {
    try {
      data = JSON.parse(raw);
    } catch (error) {
      throw new HeraldError('bad_payload', `The job's data is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  if (!isRecord(data)) throw new HeraldError('bad_payload', "The job's data is not an object.");
  if (data.v !== WIRE_FORMAT_VERSION) {
    throw new HeraldError(
      'bad_payload',
      `The job uses wire format version ${JSON.stringify(data.v)}, but this worker reads version ${WIRE_FORMAT_VERSION}: run workers of the same herald version as the app.`,
    );
  }
  for (const key of REQUIRED_STRINGS) {
    if (typeof data[key] !== 'string' || data[key] === '') {
      throw new HeraldError('bad_payload', `The job's "${key}" must be a non-empty string.`);
    }
  }
  if (!('payload' in data)) throw new HeraldError('bad_payload', 'The job has no "payload".');
  if (data.meta !== undefined && !isRecord(data.meta))
    throw new HeraldError('bad_payload', 'The job\'s "meta" must be an object.');
  return data as unknown as JobPayload;
}
