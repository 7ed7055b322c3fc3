import { describe, expect, it } from 'vitest';
import { Event, HeraldError, Listener } from '../../../src/index.js';
import { useHerald } from '../dispatch/support.js';

@Event('after-commit-options.ping')
class Ping {}

const boot = useHerald();

function configError(run: () => unknown): HeraldError {
  try {
    run();
  } catch (error) {
    if (HeraldError.is(error, 'config_invalid')) return error;
    throw error;
  }
  throw new Error('expected a config_invalid HeraldError');
}

describe('afterCommit option values', () => {
  it.each(['yes', 1, null, {}])('@Event - afterCommit %j is refused with config_invalid', (value) => {
    const error = configError(() => {
      // @ts-expect-error: a wrong value on purpose
      @Event('bad.after-commit', { afterCommit: value })
      class Bad {}
      return Bad;
    });
    expect(error.message).toContain('option "afterCommit" must be true or false');
    expect(error.message).toContain('class Bad');
  });

  it.each(['yes', 0, null])('@Listener - afterCommit %j is refused with config_invalid', async (value) => {
    // @ts-expect-error: a wrong value on purpose
    @Listener(Ping, { afterCommit: value })
    class BadListener {
      handle(): void {}
    }
    const error = await boot({ listeners: [BadListener] }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(HeraldError.is(error, 'config_invalid')).toBe(true);
    expect((error as HeraldError).message).toContain('option "afterCommit" must be true or false');
  });

  it('listen() - afterCommit "no" is refused with config_invalid', async () => {
    const herald = await boot();
    const error = configError(() =>
      // @ts-expect-error: a wrong value on purpose
      herald.listen(Ping, () => undefined, { afterCommit: 'no' }),
    );
    expect(error.message).toContain('afterCommit');
  });

  it('@Event - afterCommit: false and true are accepted; a misspelling names the known options', () => {
    @Event('fine.after-commit', { afterCommit: false })
    class Fine {}
    expect(Fine).toBeDefined();
    const error = configError(() => {
      // @ts-expect-error: a misspelt option on purpose
      @Event('typo.after-commit', { afterComit: true })
      class Typo {}
      return Typo;
    });
    expect(error.message).toContain('known: stream, key, afterCommit');
  });
});
