const namesByPrototype = new WeakMap<object, ReadonlySet<string>>();

/**
 * Every property name on a prototype chain, below Object.prototype (cached per prototype). The
 * decoder defines, rather than assigns, a revived property with one of these names: assignment
 * would run a setter the class declares or fail on a read-only property.
 */
export function prototypeNames(proto: object): ReadonlySet<string> {
  let names = namesByPrototype.get(proto);
  if (names === undefined) {
    const found = new Set<string>();
    for (
      let at: object | null = proto;
      at !== null && at !== Object.prototype;
      at = Object.getPrototypeOf(at) as object | null
    ) {
      for (const name of Object.getOwnPropertyNames(at)) found.add(name);
    }
    names = found;
    namesByPrototype.set(proto, names);
  }
  return names;
}
