import { Container, inject } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Event, Listener, type ListenerContext, On, Subscriber } from '../../../src/index.js';
import { withHerald } from './boot-helpers.js';

/** What the listeners below saw, in the order they ran; reset by each test. */
class Journal {
  readonly lines: string[] = [];
}

@Event()
class OrderShipped {
  constructor(readonly orderId: string) {}
}

@Event()
class OrderCancelled {
  constructor(readonly orderId: string) {}
}

@Event('orders.placed')
class OrderPlaced {
  constructor(readonly orderId: string) {}
}

@Event('orders.line.added')
class OrderLineAdded {}

@Event('users.created')
class UserCreated {}

@Event()
class UserLoggedIn {
  constructor(readonly user: string) {}
}

@Event()
class UserLoggedOut {
  constructor(readonly user: string) {}
}

@Listener(OrderShipped)
class ClassForm {
  constructor(@inject(Journal) private readonly journal: Journal) {}
  handle(event: OrderShipped): void {
    this.journal.lines.push(`class ${event.orderId}`);
  }
}

@Listener([OrderShipped, OrderCancelled])
class ArrayForm {
  constructor(@inject(Journal) private readonly journal: Journal) {}
  handle(event: OrderShipped | OrderCancelled): void {
    this.journal.lines.push(`array ${event.constructor.name} ${event.orderId}`);
  }
}

@Listener('orders.*')
class WildcardForm {
  constructor(@inject(Journal) private readonly journal: Journal) {}
  handle(_event: object, ctx: ListenerContext): void {
    this.journal.lines.push(`wildcard ${ctx.eventName}`);
  }
}

@Listener()
class InferredForm {
  constructor(@inject(Journal) private readonly journal: Journal) {}
  @On() handle(event: OrderShipped): void {
    this.journal.lines.push(`inferred ${event.orderId}`);
  }
}

@Subscriber()
class UserEventSubscriber {
  constructor(@inject(Journal) private readonly journal: Journal) {}

  @On(UserLoggedIn) onLogin(event: UserLoggedIn): void {
    this.journal.lines.push(`login ${event.user}`);
  }

  @On(UserLoggedOut, { queue: 'audit', tries: 2 }) onLogout(event: UserLoggedOut): void {
    this.journal.lines.push(`logout ${event.user}`);
  }

  @On(UserLoggedIn, { name: 'audit.login', order: -1 }) auditLogin(event: UserLoggedIn): void {
    this.journal.lines.push(`audit ${event.user}`);
  }

  @On() inferredLogout(event: UserLoggedOut): void {
    this.journal.lines.push(`inferred logout ${event.user}`);
  }
}

/** A container with one Journal per app, so each test sees only its own app's listeners. */
function journaled(): { container: Container; lines: string[] } {
  const container = new Container({ autobind: true });
  const journal = new Journal();
  container.bind(Journal).toConstantValue(journal);
  return { container, lines: journal.lines };
}

function names(listeners: readonly { name: string }[]): string[] {
  return listeners.map((listener) => listener.name);
}

describe('@Listener forms', () => {
  it('@Listener(EventClass) - handle receives the dispatched event', async () => {
    const { container, lines } = journaled();
    await withHerald({ listeners: [ClassForm], container }, async (herald) => {
      await herald.dispatch(new OrderShipped('o-1'));
      expect(lines).toEqual(['class o-1']);
      expect(names(herald.getListeners(OrderShipped))).toEqual(['ClassForm']);
      expect(herald.hasListeners(OrderCancelled)).toBe(false);
    });
  });

  it('@Listener([A, B]) - one listener handles every event of the array', async () => {
    const { container, lines } = journaled();
    await withHerald({ listeners: [ArrayForm], container }, async (herald) => {
      await herald.dispatch(new OrderShipped('o-1'));
      await herald.dispatch(new OrderCancelled('o-2'));
      expect(lines).toEqual(['array OrderShipped o-1', 'array OrderCancelled o-2']);
      expect(names(herald.getListeners(OrderCancelled))).toEqual(['ArrayForm']);
    });
  });

  it("@Listener('orders.*') - matches wire names, dots included, and ctx.eventName says which", async () => {
    const { container, lines } = journaled();
    await withHerald({ listeners: [WildcardForm], container }, async (herald) => {
      await herald.dispatch(new OrderPlaced('o-1'));
      await herald.dispatch(new OrderLineAdded());
      await herald.dispatch(new UserCreated());
      // OrderShipped's wire name is its class name, which the pattern does not match.
      await herald.dispatch(new OrderShipped('o-2'));
      expect(lines).toEqual(['wildcard orders.placed', 'wildcard orders.line.added']);
    });
  });

  it('@Listener() with @On() on handle - the event is inferred from the parameter type', async () => {
    const { container, lines } = journaled();
    await withHerald({ listeners: [InferredForm], container }, async (herald) => {
      expect(names(herald.getListeners(OrderShipped))).toEqual(['InferredForm']);
      await herald.dispatch(new OrderShipped('o-7'));
      await herald.dispatch(new OrderCancelled('o-8'));
      expect(lines).toEqual(['inferred o-7']);
    });
  });

  it('all four forms together run in registration order for one event', async () => {
    const { container, lines } = journaled();
    await withHerald({ listeners: [ClassForm, ArrayForm, InferredForm], container }, async (herald) => {
      await herald.dispatch(new OrderShipped('o-1'));
      expect(lines).toEqual(['class o-1', 'array OrderShipped o-1', 'inferred o-1']);
    });
  });
});

describe('@Subscriber + @On', () => {
  it('each @On method is a listener named Class.method, unless { name } overrides it', async () => {
    const { container } = journaled();
    await withHerald({ listeners: [UserEventSubscriber], container }, (herald) => {
      // auditLogin has order -1, so it comes first.
      expect(names(herald.getListeners(UserLoggedIn))).toEqual([
        'audit.login',
        'UserEventSubscriber.onLogin',
      ]);
      expect(names(herald.getListeners(UserLoggedOut))).toEqual([
        'UserEventSubscriber.onLogout',
        'UserEventSubscriber.inferredLogout',
      ]);
    });
  });

  it('options apply per method: only the method with { queue } is queued', async () => {
    const { container } = journaled();
    await withHerald({ listeners: [UserEventSubscriber], container }, (herald) => {
      const byName = new Map(herald.getListeners(UserLoggedOut).map((info) => [info.name, info]));
      expect(byName.get('UserEventSubscriber.onLogout')).toMatchObject({
        method: 'onLogout',
        queued: true,
        queue: 'audit',
      });
      expect(byName.get('UserEventSubscriber.inferredLogout')).toMatchObject({
        method: 'inferredLogout',
        queued: false,
      });
      const login = herald.getListeners(UserLoggedIn);
      expect(login.map((info) => [info.name, info.queued, info.order])).toEqual([
        ['audit.login', false, -1],
        ['UserEventSubscriber.onLogin', false, 0],
      ]);
    });
  });

  it('dispatch calls the methods on a container-built instance (constructor injection works)', async () => {
    const { container, lines } = journaled();
    await withHerald({ listeners: [UserEventSubscriber], container }, async (herald) => {
      await herald.dispatch(new UserLoggedIn('ada'));
      await herald.dispatch(new UserLoggedOut('ada'));
      await herald.drain();
      expect(lines).toEqual(['audit ada', 'login ada', 'inferred logout ada', 'logout ada']);
    });
  });
});
