import { describe, expect, it } from 'vitest';
import { bootFailure } from '../boot/boot-helpers.js';
import { fixture } from './discovery-helpers.js';

describe('a module that throws while discovery imports it', () => {
  it('fails boot with discovery_failed, naming the file and keeping the cause', async () => {
    const error = await bootFailure({ root: fixture('failing'), discover: ['.'] });
    expect(error.kind).toBe('discovery_failed');
    expect(error.message).toContain(fixture('failing/zz-broken.ts'));
    expect(error.message).toContain('zz-broken exploded on import');
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toBe('zz-broken exploded on import');
  });

  it('fails the same way on a second boot (the failure is not swallowed by the module cache)', async () => {
    const error = await bootFailure({ root: fixture('failing'), discover: ['*.ts'] });
    expect(error.kind).toBe('discovery_failed');
    expect(error.message).toContain('zz-broken.ts');
  });

  it('a custom importer that rejects with a non-Error still fails with discovery_failed', async () => {
    const error = await bootFailure(
      { root: fixture('failing'), discover: ['ok-listener.ts'] },
      { importModule: () => Promise.reject('loader exploded') },
    );
    expect(error.kind).toBe('discovery_failed');
    expect(error.message).toContain('ok-listener.ts');
    expect(error.message).toContain('loader exploded');
    expect(error.cause).toBe('loader exploded');
  });
});
