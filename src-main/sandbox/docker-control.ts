/** Deadline for control calls (inspect, create, start, remove) so a hung engine cannot hang us. */
export const CONTROL_TIMEOUT_MS = 60_000;

/** A fresh abort signal that fires after {@link CONTROL_TIMEOUT_MS}, for one control call. */
export function controlDeadline(): AbortSignal {
  return AbortSignal.timeout(CONTROL_TIMEOUT_MS);
}
