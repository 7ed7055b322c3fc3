import { HeraldError } from '../../errors.js';
import { describeStub, type LoadedStub } from './stubs.js';

/**
 * The placeholders a stub may use. One syntax everywhere: `{{ name }}` (spaces optional).
 *
 * - `class`: the class being generated (`SendShipmentNotification`);
 * - `wireName`: the event's wire name (`OrderShipped`);
 * - `event`: the event class a listener handles;
 * - `eventImport`: the import specifier of that event from the listener (`../events/order-shipped.js`);
 * - `discover`: the config stub's `discover` array literal (`['src/events', 'src/listeners']`).
 */
export type StubValues = Readonly<
  Partial<Record<'class' | 'wireName' | 'event' | 'eventImport' | 'discover', string>>
>;

const PLACEHOLDER = /\{\{\s*([A-Za-z]\w*)\s*\}\}/g;

/**
 * Fills a stub's placeholders. A placeholder this stub has no value for (a typo in a published
 * stub, or `{{ event }}` in a stub without an event) is an error naming the stub file, never
 * silently left in the generated code.
 */
export function renderStub(stub: LoadedStub, values: StubValues): string {
  const rendered = stub.text.replace(PLACEHOLDER, (whole, key: string) => {
    const value = Object.hasOwn(values, key) ? values[key as keyof StubValues] : undefined;
    if (value === undefined) {
      const known = Object.keys(values)
        .map((name) => `{{ ${name} }}`)
        .join(', ');
      throw new HeraldError(
        'config_invalid',
        `The stub ${describeStub(stub)} uses ${whole}, which ${stub.name}.stub does not provide (it has: ${known || 'none'}): fix the stub or delete it to use herald's.`,
      );
    }
    return value;
  });
  const leftover = /\{\{[^}]*\}\}/.exec(rendered);
  if (leftover !== null) {
    throw new HeraldError(
      'config_invalid',
      `The stub ${describeStub(stub)} has a malformed placeholder ${leftover[0]}: write placeholders as {{ name }}.`,
    );
  }
  return rendered;
}
