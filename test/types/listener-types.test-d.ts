import { describe, expectTypeOf, it } from 'vitest';
import {
  Dispatchable,
  Event,
  HeraldError,
  type HeraldErrorKind,
  Listener,
  type ListenerContext,
  type ListenerOptions,
  On,
  Subscriber,
} from '../../src/index.js';

// Type-level tests: vitest typechecks this file (and tsc -p tsconfig.json does too); nothing here
// runs. Every `@ts-expect-error` must be needed, or the typecheck fails.

@Event()
class OrderShipped extends Dispatchable {
  constructor(
    readonly orderId: string,
    readonly total: number,
  ) {
    super();
  }
}

/** Structurally unrelated to OrderShipped (no orderId, no total). */
@Event()
class OtherEvent {
  constructor(readonly reason: boolean) {}
}

/** A subclass with a member OrderShipped lacks. */
@Event()
class ExpressOrderShipped extends OrderShipped {
  readonly express = true as const;
}

@Event()
class Refunded extends Dispatchable {
  constructor(readonly amount: bigint) {
    super();
  }
}

@Event()
class UserLoggedIn {
  constructor(readonly user: string) {}
}

@Event()
class UserLoggedOut {
  constructor(readonly userId: number) {}
}

describe('@Listener(EventClass)', () => {
  it('accepts a handle that takes the event, a supertype of it, or nothing', () => {
    @Listener(OrderShipped)
    class TakesTheEvent {
      handle(_event: OrderShipped): void {}
    }

    @Listener(OrderShipped)
    class TakesASupertype {
      handle(_event: { readonly orderId: string }, _ctx: ListenerContext): void {}
    }

    @Listener(OrderShipped)
    class TakesNothing {
      handle(): void {}
    }

    @Listener(OrderShipped)
    class ReturnsFalseAsync {
      async handle(_event: OrderShipped): Promise<false> {
        return false;
      }
    }

    expectTypeOf<TakesTheEvent | TakesASupertype | TakesNothing | ReturnsFalseAsync>().toBeObject();
  });

  it('refuses a handle that takes an unrelated event', () => {
    // @ts-expect-error OtherEvent is not OrderShipped
    @Listener(OrderShipped)
    class TakesOther {
      handle(_event: OtherEvent): void {}
    }
    expectTypeOf<TakesOther>().toBeObject();
  });

  it('refuses a handle that takes a subclass-only type', () => {
    // @ts-expect-error an OrderShipped is not necessarily an ExpressOrderShipped
    @Listener(OrderShipped)
    class TakesSubclass {
      handle(_event: ExpressOrderShipped): void {}
    }
    expectTypeOf<TakesSubclass>().toBeObject();
  });

  it('refuses a handle whose second parameter is not a ListenerContext', () => {
    // @ts-expect-error ctx is a ListenerContext, not a number
    @Listener(OrderShipped)
    class BadContext {
      handle(_event: OrderShipped, _ctx: number): void {}
    }
    expectTypeOf<BadContext>().toBeObject();
  });

  it('refuses a class without handle', () => {
    // @ts-expect-error handle() is required
    @Listener(OrderShipped)
    class NoHandle {
      onOrder(_event: OrderShipped): void {}
    }
    expectTypeOf<NoHandle>().toBeObject();
  });
});

describe('@Listener([A, B])', () => {
  it('accepts a handle that takes A | B', () => {
    @Listener([OrderShipped, OtherEvent])
    class TakesBoth {
      handle(_event: OrderShipped | OtherEvent): void {}
    }
    expectTypeOf<TakesBoth>().toBeObject();
  });

  it('refuses a handle that takes only A', () => {
    // @ts-expect-error handle must accept OtherEvent too
    @Listener([OrderShipped, OtherEvent])
    class TakesOne {
      handle(_event: OrderShipped): void {}
    }
    expectTypeOf<TakesOne>().toBeObject();
  });
});

describe('@Listener(pattern) and @Listener(options?)', () => {
  it('accept any handle: the event is a wire-name pattern or inferred at boot', () => {
    @Listener('orders.*')
    class Wildcard {
      handle(_event: object, ctx: ListenerContext): void {
        expectTypeOf(ctx.eventName).toBeString();
      }
    }

    @Listener({ queue: 'audit' })
    class Inferred {
      @On() handle(_event: OrderShipped): void {}
    }
    expectTypeOf<Wildcard | Inferred>().toBeObject();
  });
});

describe('@On in subscribers', () => {
  it('accepts a method taking the event and refuses one taking another event', () => {
    @Subscriber()
    class UserSubscriber {
      @On(UserLoggedIn) onLogin(_event: UserLoggedIn): void {}

      @On([UserLoggedIn, UserLoggedOut]) onEither(_event: UserLoggedIn | UserLoggedOut): void {}

      // @ts-expect-error UserLoggedOut is not UserLoggedIn
      @On(UserLoggedIn) onWrong(_event: UserLoggedOut): void {}

      // @ts-expect-error handles only one of the two events
      @On([UserLoggedIn, UserLoggedOut]) onHalf(_event: UserLoggedIn): void {}
    }
    expectTypeOf<UserSubscriber>().toBeObject();
  });

  it('types per-method options by the method’s event', () => {
    @Subscriber()
    class UniqueSubscriber {
      @On(UserLoggedIn, { unique: { id: (event) => event.user } }) onLogin(_event: UserLoggedIn): void {}

      // @ts-expect-error UserLoggedIn has no userId
      @On(UserLoggedIn, { unique: { id: (event) => event.userId } }) onBad(_event: UserLoggedIn): void {}
    }
    expectTypeOf<UniqueSubscriber>().toBeObject();
  });
});

describe('Dispatchable static dispatch', () => {
  it('is typed by the constructor parameters of the class it is called on', () => {
    // Never called: only type-checked. (expectTypeOf(OrderShipped.dispatch) cannot be used: the
    // method is generic in `this`, which only a call binds.)
    const calls = (): void => {
      expectTypeOf(OrderShipped.dispatch('o-1', 42)).toEqualTypeOf<Promise<void>>();
      expectTypeOf(OrderShipped.dispatchIf(true, 'o-1', 42)).toEqualTypeOf<Promise<void>>();
      expectTypeOf(OrderShipped.dispatchUnless(false, 'o-1', 42)).toEqualTypeOf<Promise<void>>();
      expectTypeOf(ExpressOrderShipped.dispatch('o-1', 42)).toEqualTypeOf<Promise<void>>();
      expectTypeOf(Refunded.dispatch(10n)).toEqualTypeOf<Promise<void>>();
      // @ts-expect-error Refunded's constructor takes a bigint, not OrderShipped's arguments
      void Refunded.dispatch('o-1', 42);
    };
    expectTypeOf(calls).toBeFunction();
  });

  it('refuses wrong argument types and counts', () => {
    // Never called: only type-checked.
    const calls = (): void => {
      void OrderShipped.dispatch('o-1', 42);
      // @ts-expect-error total must be a number
      void OrderShipped.dispatch('o-1', '42');
      // @ts-expect-error total is missing
      void OrderShipped.dispatch('o-1');
      // @ts-expect-error one argument too many
      void OrderShipped.dispatch('o-1', 42, true);
      // @ts-expect-error the condition comes first
      void OrderShipped.dispatchIf('o-1', 42);
    };
    expectTypeOf(calls).toBeFunction();
  });
});

describe('ListenerOptions', () => {
  it('unique.id receives the event type', () => {
    const options: ListenerOptions<OrderShipped> = {
      unique: {
        id: (event) => {
          expectTypeOf(event).toEqualTypeOf<OrderShipped>();
          return event.orderId;
        },
      },
    };
    expectTypeOf(options.unique)
      .exclude<undefined>()
      .toHaveProperty('id')
      .parameter(0)
      .toEqualTypeOf<OrderShipped>();

    @Listener(OrderShipped, { unique: { id: (event) => `${event.orderId}:${event.total}`, ttl: 1000 } })
    class UniqueListener {
      handle(_event: OrderShipped): void {}
    }

    @Listener([OrderShipped, OtherEvent], {
      unique: {
        id: (event) => {
          expectTypeOf(event).toEqualTypeOf<OrderShipped | OtherEvent>();
          return 'x';
        },
      },
    })
    class UniqueOfTwo {
      handle(_event: OrderShipped | OtherEvent): void {}
    }
    expectTypeOf<UniqueListener | UniqueOfTwo>().toBeObject();
  });

  it('unique.id that reads a property the event lacks, or returns a non-string, is an error', () => {
    // @ts-expect-error OrderShipped has no reason
    const wrongProperty: ListenerOptions<OrderShipped> = { unique: { id: (event) => event.reason } };
    // @ts-expect-error id must return a string
    const wrongReturn: ListenerOptions<OrderShipped> = { unique: { id: (event) => event.total } };
    expectTypeOf([wrongProperty, wrongReturn]).toBeArray();
  });

  it('refuses unknown keys and wrong value types', () => {
    // @ts-expect-error typo: tires
    const typo: ListenerOptions<OrderShipped> = { tires: 3 };
    // @ts-expect-error scope is 'singleton' | 'transient'
    const scope: ListenerOptions<OrderShipped> = { scope: 'request' };
    // @ts-expect-error backoff type is 'fixed' | 'exponential'
    const backoff: ListenerOptions<OrderShipped> = { backoff: { type: 'linear', delay: 1 } };
    // @ts-expect-error queue is true or a name
    const queue: ListenerOptions<OrderShipped> = { queue: false };
    expectTypeOf([typo, scope, backoff, queue]).toBeArray();
  });
});

describe('HeraldError.is', () => {
  it('takes only known kinds and narrows to HeraldError', () => {
    const value: unknown = new Error('x');
    expectTypeOf(HeraldError.is).parameter(1).toEqualTypeOf<HeraldErrorKind | undefined>();
    if (HeraldError.is(value, 'unknown_event')) expectTypeOf(value).toEqualTypeOf<HeraldError>();
    // @ts-expect-error not a kind
    HeraldError.is(value, 'not_a_kind');
    expectTypeOf<'unknown_event'>().toExtend<HeraldErrorKind>();
    expectTypeOf<'not_a_kind'>().not.toExtend<HeraldErrorKind>();
  });
});
