/**
 * The file (or folder) name of a PascalCase class: `OrderShipped` → `order-shipped`,
 * `HTTPRequestSent` → `http-request-sent`, `Order2Shipped` → `order2-shipped`.
 */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** A best guess at the PascalCase name someone meant (`order-shipped.ts` → `OrderShipped`). */
export function pascalCaseGuess(text: string): string {
  return text
    .replace(/\.[cm]?[jt]sx?$/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => `${part[0]?.toUpperCase() ?? ''}${part.slice(1)}`)
    .join('')
    .replace(/^[0-9]+/, '');
}
