/** What the codec needs to know about a class's prototype chain (see {@link prototypeMembers}). */
export interface PrototypeMembers {
  /**
   * Every property name on the chain below Object.prototype. The decoder defines, rather than
   * assigns, a revived property with one of these names: assignment would run a setter the class
   * declares or fail on a read-only property.
   */
  readonly names: ReadonlySet<string>;
  /**
   * Names of methods (function-valued data properties) anywhere on the chain, Object.prototype's
   * included, `constructor` excepted. Payload data never shadows one: the encoder and the decoder
   * both refuse such a property (test/unit/serialization/codec.edges.test.ts).
   */
  readonly methods: ReadonlySet<string>;
}

const membersByPrototype = new WeakMap<object, PrototypeMembers>();

/** The {@link PrototypeMembers} of a prototype, cached per prototype. */
export function prototypeMembers(proto: object): PrototypeMembers {
  let members = membersByPrototype.get(proto);
  if (members === undefined) {
    const names = new Set<string>();
    const methods = new Set<string>();
    for (let at: object | null = proto; at !== null; at = Object.getPrototypeOf(at) as object | null) {
      const below = at !== Object.prototype;
      for (const name of Object.getOwnPropertyNames(at)) {
        if (below) names.add(name);
        const descriptor = Object.getOwnPropertyDescriptor(at, name);
        if (name !== 'constructor' && typeof descriptor?.value === 'function') methods.add(name);
      }
    }
    members = { names, methods };
    membersByPrototype.set(proto, members);
  }
  return members;
}
