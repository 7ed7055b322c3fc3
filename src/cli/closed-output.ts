/**
 * What happens when the reader of our stdout or stderr goes away (`herald event:list | head -1`):
 * by default the command exits 0 at once, quietly (the reader asked for no more output);
 * `queue:work` replaces it to finish its active jobs first. Proved by test/cli/closed-output.test.ts
 * and test/cli/queue-restart.test.ts.
 */
let onClosed: () => void = () => process.exit(0);
let installed = false;

/** Error codes of a write to a pipe whose reader closed, or to a stream destroyed by that. */
function isClosedPipe(error: NodeJS.ErrnoException): boolean {
  return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
}

/**
 * Handles `error` events of process.stdout and process.stderr: a closed pipe calls the current
 * handler (no stack is printed); any other stream error is rethrown as before.
 */
export function handleClosedOutput(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (!isClosedPipe(error)) throw error;
      onClosed();
    });
  }
}

/**
 * Replaces what a closed stdout/stderr does (the handler may be called more than once: every
 * later write fails again). Returns a function that restores the default.
 */
export function onClosedOutput(handler: () => void): () => void {
  onClosed = handler;
  return () => {
    onClosed = () => process.exit(0);
  };
}
