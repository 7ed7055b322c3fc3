import { beforeEach, describe, expect, it } from 'vitest';
import { useHerald } from './support.js';
import {
  AuditUsers,
  clearLog,
  log,
  SendWelcome,
  UserDeleted,
  UserRegistered,
  UserSubscriber,
} from './user-fixtures.js';

/** forget(): removing the listeners of one event (class, wire name or pattern), and only those. */

beforeEach(clearLog);

const boot = useHerald();

describe('forget()', () => {
  it('forget() - removes every listener of the event', async () => {
    const herald = await boot({ listeners: [SendWelcome, UserSubscriber] });
    herald.listen(UserRegistered, () => void log.push('closure'));
    herald.forget(UserRegistered);
    expect(herald.hasListeners(UserRegistered)).toBe(false);
    await herald.dispatch(new UserRegistered('a'));
    expect(log).toEqual([]);
  });

  it('forget() - a listener of [A, B] keeps B after forget(A)', async () => {
    const herald = await boot({ listeners: [AuditUsers] });
    herald.forget(UserRegistered);
    await herald.dispatch(new UserRegistered('a'));
    await herald.dispatch(new UserDeleted('b'));
    expect(log).toEqual(['audit UserDeleted b']);
    expect(herald.getListeners(UserDeleted).map((info) => info.name)).toEqual(['AuditUsers']);
  });

  it('forget() - a subscriber keeps its methods for other events', async () => {
    const herald = await boot({ listeners: [UserSubscriber] });
    herald.forget(UserRegistered);
    await herald.dispatch(new UserRegistered('a'));
    await herald.dispatch(new UserDeleted('b'));
    expect(log).toEqual(['sub deleted']);
  });

  it('forget() - takes the event wire name as a string', async () => {
    const herald = await boot({ listeners: [SendWelcome, AuditUsers] });
    herald.forget('users.registered');
    expect(herald.hasListeners(UserRegistered)).toBe(false);
    await herald.dispatch(new UserRegistered('a'));
    await herald.dispatch(new UserDeleted('b'));
    expect(log).toEqual(['audit UserDeleted b']);
  });

  it('forget() - a pattern string removes the listeners registered with that pattern only', async () => {
    const herald = await boot({ listeners: [SendWelcome] });
    herald.listen('users.*', () => void log.push('wild'));
    herald.forget('users.*');
    await herald.dispatch(new UserRegistered('a'));
    expect(log).toEqual(['welcome a']);
  });

  it('forget() - does not touch other events, and new listeners can be added afterwards', async () => {
    const herald = await boot({ listeners: [SendWelcome, UserSubscriber] });
    herald.forget(UserRegistered);
    herald.listen(UserRegistered, () => void log.push('new'));
    await herald.dispatch(new UserRegistered('a'));
    await herald.dispatch(new UserDeleted('b'));
    expect(log).toEqual(['new', 'sub deleted']);
  });
});
