// A small shop shaped like the playground's orders app (playground/src): an order event with a
// sync listener and queued listeners on several queues, a shipping event, a subscriber. The
// payment listener fails while the test says the payment provider is down, so a test decides
// which jobs fail and whether a retry succeeds.
import { Event, Listener, On, Subscriber } from '../../../../src/index.js';

/** Order ids whose payment fails; the rest succeed. */
export const paymentOutage = new Set<string>();
/** How many times each listener ran for an order id: `<Listener>:<orderId>` → count. */
export const runs = new Map<string, number>();

function ran(listener: string, orderId: string): void {
  const key = `${listener}:${orderId}`;
  runs.set(key, (runs.get(key) ?? 0) + 1);
}

/** A customer placed an order; `note` is free text that ends up in payloads and errors. */
@Event('shop.orders.placed')
export class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly email: string,
    readonly note: string,
    readonly card: { number: string; holder: string },
  ) {}
}

/** An order left the warehouse. */
@Event('shop.orders.shipped')
export class OrderShipped {
  constructor(readonly orderId: string) {}
}

/** Sync: runs inside dispatch, so the events page lists it as sync. */
@Listener(OrderPlaced)
export class ReserveStock {
  handle(event: OrderPlaced): void {
    ran('ReserveStock', event.orderId);
  }
}

/** Queued on "emails". */
@Listener(OrderPlaced, { queue: 'emails', tries: 2 })
export class SendConfirmation {
  handle(event: OrderPlaced): void {
    ran('SendConfirmation', event.orderId);
  }
}

/** Queued on "payments"; fails (one try) while the order is in {@link paymentOutage}. */
@Listener(OrderPlaced, { queue: 'payments', tries: 1 })
export class CapturePayment {
  handle(event: OrderPlaced): void {
    ran('CapturePayment', event.orderId);
    if (paymentOutage.has(event.orderId))
      throw new Error(`card declined for ${event.orderId}: ${event.note}`);
  }
}

/** Queued on "warehouse". */
@Listener(OrderShipped, { queue: 'warehouse' })
export class NotifyWarehouse {
  handle(event: OrderShipped): void {
    ran('NotifyWarehouse', event.orderId);
  }
}

/** A subscriber with a queued method, as the playground's UserActivitySubscriber. */
@Subscriber()
export class ShopAudit {
  @On(OrderShipped, { queue: 'audit' })
  onShipped(event: OrderShipped): void {
    ran('ShopAudit.onShipped', event.orderId);
  }
}

/** Every listener class of the shop, for `createHerald({ listeners })`. */
export const SHOP_LISTENERS = [ReserveStock, SendConfirmation, CapturePayment, NotifyWarehouse, ShopAudit];
