/** How long a stopping gateway waits for the turns in progress to wind down. */
export const STOP_GRACE_MS = 2000;

/** Resolves once `idle` does, or after `graceMs`, whichever comes first. */
export async function idleOrGraceOver(idle: Promise<void>, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    idle,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    }),
  ]);
  clearTimeout(timer);
}
