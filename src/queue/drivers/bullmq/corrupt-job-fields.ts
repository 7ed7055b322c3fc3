/**
 * Where herald marks a job whose stored hash had unreadable fields: a key BullMQ keeps in the
 * job's options. The worker fails such a job with the reason (raw-data-job.ts).
 */
export const CORRUPT_KEY = 'heraldCorrupt';

/** What was wrong with a job hash read off Redis, and which fields must be rewritten to fail it. */
export interface CorruptFields {
  readonly reason: string;
  /** Stored field → the value that makes it readable again (`opts` → `{}`, `atm` → `0`). */
  readonly repair: Readonly<Record<string, string>>;
}

const WHOLE_NUMBER = /^\d+$/;

/**
 * Makes the flat `[field, value, ...]` job hash a BullMQ script returned readable, and records
 * what it changed under {@link CORRUPT_KEY} in `opts`. BullMQ throws while fetching a job whose
 * `opts` is not JSON (the job would stay `active` forever), and its finishing script breaks on a
 * non-numeric `atm` (attempts made; the job would vanish): such a job must fail with the reason
 * instead (test/fault/corrupt-fields.test.ts). Returns the hash unchanged when every field reads.
 */
export function sanitizeJobHash(hash: unknown[]): unknown[] {
  const problems: string[] = [];
  const repair: Record<string, string> = {};
  const fixed = [...hash];
  let optsAt = -1;
  for (let i = 0; i + 1 < fixed.length; i += 2) {
    const field = String(fixed[i]);
    const value = fixed[i + 1];
    if (field === 'opts') {
      optsAt = i + 1;
      try {
        JSON.parse(String(value));
      } catch (error) {
        problems.push(`"opts" field is not valid JSON (${(error as Error).message})`);
        repair.opts = '{}';
      }
    } else if (field === 'atm' && !WHOLE_NUMBER.test(String(value))) {
      problems.push(`"atm" (attempts made) field is not a whole number (${JSON.stringify(String(value))})`);
      repair.atm = '0';
      fixed[i + 1] = '0';
    }
  }
  if (problems.length === 0) return hash;
  let opts: Record<string, unknown> = {};
  if (optsAt !== -1 && repair.opts === undefined)
    opts = JSON.parse(String(fixed[optsAt])) as Record<string, unknown>;
  const marked: CorruptFields = { reason: problems.join('; '), repair };
  const text = JSON.stringify({ ...opts, [CORRUPT_KEY]: marked });
  if (optsAt === -1) fixed.push('opts', text);
  else fixed[optsAt] = text;
  return fixed;
}

/** The corruption mark of a job's options, if any. */
export function corruptFieldsOf(opts: unknown): CorruptFields | undefined {
  const mark = (opts as Record<string, unknown> | undefined)?.[CORRUPT_KEY];
  if (typeof mark !== 'object' || mark === null) return undefined;
  return mark as CorruptFields;
}
