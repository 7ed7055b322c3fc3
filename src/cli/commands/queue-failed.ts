import type { Command } from 'commander';
import type { FailedJobsOptions } from '../../app.js';
import { HeraldError } from '../../errors.js';
import type { FailedJob } from '../../queue/failed/failed-job.js';
import { payloadView } from '../../serialization/payload-view.js';
import { loadApp } from '../load-app.js';
import { Output } from '../output.js';
import { queueList } from '../parse-number.js';

interface FailedFlags {
  connection?: string;
  queue?: string[];
  json?: boolean;
  payload?: boolean;
  redact?: string[];
}

/** A commander parser for `--redact a,b.c` (repeatable). */
function keyPaths(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((path) => path.trim())
      .filter((path) => path !== ''),
  ];
}

/** A failed job as `--json` prints it: the payload (masked, cut) only with `--payload`. */
function jsonOf(job: FailedJob, flags: FailedFlags) {
  const { data, ...rest } = job;
  return {
    ...rest,
    failedAt: job.failedAt.toISOString(),
    ...(flags.payload === true ? { payload: payloadView(data, { redact: flags.redact ?? [] }) } : {}),
  };
}

function scope(flags: FailedFlags): FailedJobsOptions {
  return {
    ...(flags.connection === undefined ? {} : { connection: flags.connection }),
    ...(flags.queue === undefined ? {} : { queues: flags.queue }),
  };
}

function withScope(command: Command): Command {
  return command
    .option('--connection <name>', 'queue connection (default: queue.default)')
    .option(
      '-q, --queue <names>',
      'queues to look in, comma separated (default: all the listeners use)',
      queueList,
    );
}

async function app(command: Command) {
  return (await loadApp({ configPath: command.optsWithGlobals<{ config?: string }>().config })).herald;
}

/** `queue:failed`, `queue:retry`, `queue:forget`, `queue:flush`: inspect and act on failed jobs. */
export function registerFailedJobCommands(program: Command): void {
  withScope(program.command('queue:failed').description('list failed jobs with their error and attempts'))
    .option('--json', 'print JSON')
    .option('--payload', "show each job's event payload (secrets masked, long values cut)")
    .option(
      '--redact <paths>',
      'more keys to mask with --payload, comma separated: card.number (from the event root, * = any key) or email (any depth)',
      keyPaths,
    )
    .addHelpText(
      'after',
      `
--payload prints the event of each job as JSON under its line. Masked always: keys containing
password, passwd, secret, token, apikey, authorization, cookie, cardnumber or cvv (any case,
ignoring _ and -). Strings past 200 characters, and arrays/objects past 20 entries, are cut.`,
    )
    .action(async (flags: FailedFlags, command: Command) => {
      const out = new Output();
      const herald = await app(command);
      try {
        const failed = await herald.failedJobs(scope(flags));
        if (flags.json === true) {
          out.json(failed.map((job) => jsonOf(job, flags)));
          return;
        }
        if (failed.length === 0) {
          out.line('No failed jobs.');
          return;
        }
        for (const job of failed) {
          out.line(
            `${out.paint('bold', job.id)}  ${job.failedAt.toISOString()}  ${job.queue}  ${job.listener}  ${job.event}  attempts ${job.attempts}`,
          );
          out.line(`    ${out.paint('red', job.error)}`);
          if (flags.payload === true) {
            const shown = JSON.stringify(payloadView(job.data, { redact: flags.redact ?? [] }), null, 2);
            for (const line of shown.split('\n')) out.line(`    ${line}`);
          }
        }
      } finally {
        await herald.close();
      }
    });

  withScope(program.command('queue:retry').description('run failed jobs again with fresh attempts'))
    .argument('<ids...>', 'failed job ids, or "all"')
    .action(async (ids: string[], flags: FailedFlags, command: Command) => {
      const out = new Output();
      const herald = await app(command);
      try {
        const wanted = ids.length === 1 && ids[0] === 'all' ? 'all' : ids;
        const retried = await herald.retryFailed(wanted, scope(flags));
        const missing = wanted === 'all' ? [] : wanted.filter((id) => !retried.includes(id));
        for (const id of retried) out.line(`Retrying ${id}`);
        if (wanted === 'all' && retried.length === 0) out.line('No failed jobs.');
        if (missing.length > 0) {
          throw new HeraldError(
            'job_failed',
            `No failed job with id ${missing.join(', ')}: see herald queue:failed.`,
          );
        }
      } finally {
        await herald.close();
      }
    });

  withScope(program.command('queue:forget').description('delete one failed job'))
    .argument('<id>', 'failed job id')
    .action(async (id: string, flags: FailedFlags, command: Command) => {
      const out = new Output();
      const herald = await app(command);
      try {
        if (!(await herald.forgetFailed(id, scope(flags)))) {
          throw new HeraldError('job_failed', `No failed job with id ${id}: see herald queue:failed.`);
        }
        out.line(`Deleted failed job ${id}.`);
      } finally {
        await herald.close();
      }
    });

  withScope(program.command('queue:flush').description('delete every failed job')).action(
    async (flags: FailedFlags, command: Command) => {
      const out = new Output();
      const herald = await app(command);
      try {
        const removed = await herald.flushFailed(scope(flags));
        out.line(`Deleted ${removed} failed job${removed === 1 ? '' : 's'}.`);
      } finally {
        await herald.close();
      }
    },
  );
}
