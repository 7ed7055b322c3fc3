import { inject } from 'inversify';
import { Event, Listener, type ListenerContext, On, Subscriber } from '../../../src/index.js';

/**
 * What the listen() / getListeners() / forget() tests share: two user events, listeners of every
 * form (plain class, decorated class, several events, queued, subscriber), and the log they write
 * to. Each test file clears the log before every test with {@link clearLog}.
 */

/** What the listeners did, in order. */
export const log: string[] = [];

/** Empties {@link log}; call it in a `beforeEach`. */
export function clearLog(): void {
  log.length = 0;
}

/** An event with an explicit wire name, `users.registered`. */
@Event('users.registered')
export class UserRegistered {
  constructor(readonly email: string) {}
}

/** An event whose wire name is its class name. */
@Event()
export class UserDeleted {
  constructor(readonly email: string) {}
}

/** A service {@link PlainWelcome} injects. */
class Greeter {
  greet(email: string): string {
    return `hello ${email}`;
  }
}

/** A plain class, no herald decorator: listen() must still bind and build it. */
export class PlainWelcome {
  constructor(@inject(Greeter) private readonly greeter: Greeter) {}
  handle(event: UserRegistered): void {
    log.push(`plain ${this.greeter.greet(event.email)}`);
  }
}

/** A decorated listener of {@link UserRegistered}. */
@Listener(UserRegistered)
export class SendWelcome {
  handle(event: UserRegistered): void {
    log.push(`welcome ${event.email}`);
  }
}

/** One listener of both events. */
@Listener([UserRegistered, UserDeleted])
export class AuditUsers {
  handle(event: UserRegistered | UserDeleted, ctx: ListenerContext): void {
    log.push(`audit ${ctx.eventName} ${event.email}`);
  }
}

/** Queued on the memory connection, with an order: getListeners() reports those facts. */
@Listener(UserDeleted, { queue: 'cleanup', connection: 'memory', order: 3 })
export class QueuedCleanup {
  handle(): void {
    log.push('cleanup');
  }
}

/** A subscriber with one method per event. */
@Subscriber()
export class UserSubscriber {
  @On(UserRegistered, { order: -1 }) onRegistered(): void {
    log.push('sub registered');
  }
  @On(UserDeleted) onDeleted(): void {
    log.push('sub deleted');
  }
}
