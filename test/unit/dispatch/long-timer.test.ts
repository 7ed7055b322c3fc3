import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearLongTimeout, MAX_NODE_TIMER_MS, setLongTimeout } from '../../../src/queue/runner/long-timer.js';

// Vitest's fake clock overflows like Node's (a delay over 2^31 - 1 ms becomes 1 ms), which the
// first test checks, so these tests can jump weeks ahead honestly.
describe('setLongTimeout()', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('setLongTimeout() - the fake clock overflows like Node: a plain 3e9 ms setTimeout fires at once', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setTimeout(fired, 3e9);
    vi.advanceTimersByTime(2);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('setLongTimeout() - a 3e9 ms timer fires after 3e9 ms, not before', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setLongTimeout(fired, 3e9);
    vi.advanceTimersByTime(MAX_NODE_TIMER_MS + 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(3e9 - MAX_NODE_TIMER_MS - 2);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('setLongTimeout() - short timers fire on time; clearLongTimeout() cancels at any leg of the chain', () => {
    vi.useFakeTimers();
    const short = vi.fn();
    setLongTimeout(short, 50);
    vi.advanceTimersByTime(50);
    expect(short).toHaveBeenCalledOnce();
    const cleared = vi.fn();
    const timer = setLongTimeout(cleared, 5e9);
    vi.advanceTimersByTime(MAX_NODE_TIMER_MS + 10);
    clearLongTimeout(timer);
    vi.advanceTimersByTime(5e9);
    expect(cleared).not.toHaveBeenCalled();
  });

  it('setLongTimeout() - an infinite time never fires', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const timer = setLongTimeout(fired, Number.POSITIVE_INFINITY);
    vi.advanceTimersByTime(10 * MAX_NODE_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
    clearLongTimeout(timer);
  });
});
