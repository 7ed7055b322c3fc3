import { beforeEach, describe, expect, it } from 'vitest';
import { Event, Listener } from '../../../src/index.js';
import { rejectsWith, useHerald } from './support.js';

/**
 * A queued listener's methods are read at dispatch; a value they return that herald cannot use
 * rejects the dispatch with `invalid_argument` (a run-time value, not the config), naming the
 * listener and the method, before any job is pushed. Valid values are pinned for every driver in
 * test/conformance (dispatch-time suite).
 */

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});

@Event('invoices.issued')
class InvoiceIssued {
  constructor(readonly invoiceId: string) {}
}

@Listener(InvoiceIssued, { queue: true })
class BadRetryUntil {
  retryUntil(): unknown {
    return 'tomorrow';
  }
  handle(): void {
    log.push('BadRetryUntil ran');
  }
}

@Listener(InvoiceIssued, { queue: true })
class InvalidDateRetryUntil {
  retryUntil(): unknown {
    return new Date('not a date');
  }
  handle(): void {
    log.push('InvalidDateRetryUntil ran');
  }
}

@Listener(InvoiceIssued, { queue: true, unique: { id: () => '' } })
class EmptyUniqueId {
  handle(): void {
    log.push('EmptyUniqueId ran');
  }
}

@Listener(InvoiceIssued, { queue: true, unique: { id: () => 42 as unknown as string } })
class NumericUniqueId {
  handle(): void {
    log.push('NumericUniqueId ran');
  }
}

@Listener(InvoiceIssued, { queue: true })
class BadTags {
  tags(): unknown {
    return 'billing';
  }
  handle(): void {
    log.push('BadTags ran');
  }
}

@Listener(InvoiceIssued, { queue: true })
class NegativeDelay {
  withDelay(): unknown {
    return -5;
  }
  handle(): void {
    log.push('NegativeDelay ran');
  }
}

describe('values returned by a queued listener’s methods at dispatch', () => {
  const boot = useHerald();

  for (const [listener, fragment] of [
    [BadRetryUntil, 'retryUntil(event) must return a valid Date'],
    [InvalidDateRetryUntil, 'retryUntil(event) must return a valid Date'],
    [EmptyUniqueId, 'unique.id(event) must return a non-empty string'],
    [NumericUniqueId, 'unique.id(event) must return a non-empty string'],
    [BadTags, 'tags(event) must return an array of strings'],
    [NegativeDelay, 'option "delay"'],
  ] as const) {
    it(`dispatch() - ${listener.name}: a bad value is invalid_argument (not config_invalid) naming the listener, and nothing runs`, async () => {
      const herald = await boot({ listeners: [listener] });
      const error = await rejectsWith(herald.dispatch(new InvoiceIssued('i-1')), 'invalid_argument');
      expect(error.message).toContain(listener.name);
      expect(error.message).toContain(fragment);
      await herald.drain();
      expect(log).toEqual([]);
    });
  }
});
