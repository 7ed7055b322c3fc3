import { Event, Listener } from '../../../src/index.js';

/** An order event whose queued listeners fail as its fields say. */
@Event('dash.order.placed')
export class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly note: string,
    readonly card: { number: string; holder: string },
    readonly password = 'hunter2',
  ) {}
}

/** Fails every order whose note starts with "fail:", with the rest of the note as the error. */
@Listener(OrderPlaced, { queue: 'dash-orders', tries: 1 })
export class ChargeCard {
  handle(event: OrderPlaced): void {
    if (event.note.startsWith('fail:')) throw new Error(event.note.slice(5));
  }
}

/** Fails every order with a note containing "ship!". */
@Listener(OrderPlaced, { queue: 'dash-orders', tries: 1 })
export class ShipOrder {
  handle(event: OrderPlaced): void {
    if (event.note.includes('ship!')) throw new Error('carrier down');
  }
}

/** A sync listener, shown on the events page as sync. */
@Listener(OrderPlaced)
export class AuditOrder {
  handle(): void {}
}
