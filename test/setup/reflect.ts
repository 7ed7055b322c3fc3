// Decorators read and write design:* metadata through the Reflect API while a module is being
// evaluated, so the polyfill must be installed before any test imports a decorated class. A vitest
// setupFile runs first in every worker, which is the one place that guarantees the order.
import 'reflect-metadata';
