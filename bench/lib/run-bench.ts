/**
 * Runs a bench's `main` as a script: a failure is printed with its stack and sets exit code 1,
 * and `cleanup` runs in every case, also on Ctrl-C or SIGTERM (then the exit code is 130), so an
 * interrupted bench leaves no containers, child processes or temp dirs behind.
 */
export async function runBench(
  main: () => Promise<void>,
  cleanup: () => Promise<void> | void,
): Promise<void> {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (interrupted) return;
      interrupted = true;
      console.error(`\n${signal}: cleaning up…`);
      void Promise.resolve()
        .then(cleanup)
        .finally(() => process.exit(130));
    });
  }
  try {
    await main();
  } catch (error) {
    process.exitCode = 1;
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  } finally {
    await cleanup();
  }
}
