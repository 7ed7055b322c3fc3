import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Vite 8 transforms TypeScript with oxc; legacy decorators with emitted metadata are what
  // herald's @Listener() inference and inversify's constructor injection read.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: [
      'test/setup/build-global-setup.ts',
      'test/setup/redis-global-setup.ts',
      'test/setup/postgres-global-setup.ts',
    ],
    setupFiles: ['test/setup/reflect.ts'],
    // Most files wait on child processes and servers, not on the CPU: three at a time on two
    // cores took the suite from ~890 s to ~680 s. Spawned CLIs then run slower, hence 45 s.
    maxWorkers: 3,
    testTimeout: 45_000,
    hookTimeout: 30_000,
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
