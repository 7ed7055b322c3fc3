import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens as `<random>.<HMAC of it under a per-dashboard secret>`: stateless (no session to
 * keep), unforgeable without the secret, and useless after a restart. Every action needs one in
 * its form (`_csrf`) or the `x-csrf-token` header, besides a same-origin Origin/Referer.
 */
export class CsrfTokens {
  readonly #secret = randomBytes(32);

  #sign(random: string): string {
    return createHmac('sha256', this.#secret).update(random).digest('base64url');
  }

  /** A fresh token for one page. */
  issue(): string {
    const random = randomBytes(16).toString('base64url');
    return `${random}.${this.#sign(random)}`;
  }

  /** Whether a token was issued by this dashboard. */
  verify(token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const [random, signature, extra] = token.split('.');
    if (random === undefined || signature === undefined || extra !== undefined || random === '') return false;
    const expected = Buffer.from(this.#sign(random));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
