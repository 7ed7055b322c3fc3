import { describe, expect, it } from 'vitest';
import { MAX_ENTRIES, MAX_STRING, payloadView, REDACTED } from '../../src/serialization/payload-view.js';

/** A stored job around an encoded event, as queues hold it. */
function job(payload: unknown) {
  return {
    v: 1,
    dispatchId: 'd-1',
    event: 'view.card',
    listener: 'Charge',
    payload,
    dispatchedAt: '',
    meta: {},
  };
}

describe('payloadView (what queue:failed --payload shows)', () => {
  it('shows the event as plain values: dates as ISO text, maps as objects, bigints with n', () => {
    // An encoded event as the codec stores it (tagged nodes, see payload-tags.ts).
    const encoded = {
      $t: 'cls',
      n: 'view.card',
      v: {
        orderId: 'o-1',
        card: { number: '4111', holder: 'Ada' },
        at: { $t: 'date', v: '2026-01-02T03:04:05.000Z' },
        meta: { $t: 'map', v: [['n', { $t: 'big', v: '7' }]] },
        tags: { $t: 'set', v: ['a', { $t: 'und' }] },
        raw: { $t: 'buf', v: 'AAECAw==' },
        escaped: { $t: 'obj', v: { $t: 'kept', x: { $t: 'num', v: 'NaN' } } },
      },
    };
    expect(payloadView(job(encoded), { redact: ['card.number'] })).toEqual({
      orderId: 'o-1',
      card: { number: REDACTED, holder: 'Ada' },
      at: '2026-01-02T03:04:05.000Z',
      meta: { n: '7n' },
      tags: ['a', 'undefined'],
      raw: '<Buffer, 4 bytes>',
      escaped: { $t: 'kept', x: 'NaN' },
    });
  });

  it('masks a bare key at any depth, * in a path, and credential-like keys by default', () => {
    const data = job({
      email: 'a@b.c',
      user: { email: 'x@y.z', apiToken: 't', Password: 'p', name: 'n' },
      items: [
        { sku: 's', price: 1 },
        { sku: 't', price: 2 },
      ],
      authorization: 'Bearer x',
    });
    expect(payloadView(data, { redact: ['email', 'items.*.price'] })).toEqual({
      email: REDACTED,
      user: { email: REDACTED, apiToken: REDACTED, Password: REDACTED, name: 'n' },
      items: [
        { sku: 's', price: REDACTED },
        { sku: 't', price: REDACTED },
      ],
      authorization: REDACTED,
    });
    // Without --redact, only the defaults are masked.
    expect(payloadView(data)).toMatchObject({ email: 'a@b.c', user: { email: 'x@y.z', apiToken: REDACTED } });
  });

  it('cuts long strings and long lists, saying how much is left out', () => {
    const view = payloadView(
      job({ note: 'x'.repeat(MAX_STRING + 50), list: Array.from({ length: 30 }, (_, i) => i) }),
    ) as {
      note: string;
      list: unknown[];
    };
    expect(view.note).toBe(`${'x'.repeat(MAX_STRING)}… (50 more chars)`);
    expect(view.list).toHaveLength(MAX_ENTRIES + 1);
    expect(view.list[MAX_ENTRIES]).toBe('… (10 more items)');
  });

  it('shows data that is not herald wire format as it is (text that was not JSON stays text)', () => {
    expect(payloadView('{not json')).toBe('{not json');
    expect(payloadView({ other: 'shape' })).toEqual({ other: 'shape' });
  });
});
