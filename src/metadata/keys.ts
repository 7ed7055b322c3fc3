/**
 * Metadata keys herald stores on decorated classes. `Symbol.for` keys, so that two copies of
 * herald loaded in one process (a linked package beside an installed one, or a CLI loading a
 * user's app) read each other's decorations.
 */
export const EVENT_METADATA = Symbol.for('herald.event');
export const SERIALIZABLE_METADATA = Symbol.for('herald.serializable');
export const LISTENER_METADATA = Symbol.for('herald.listener');
export const SUBSCRIBER_METADATA = Symbol.for('herald.subscriber');
export const ON_METADATA = Symbol.for('herald.on');
