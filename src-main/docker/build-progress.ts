import type Docker from 'dockerode';

/** One JSON message of the engine's build or import progress stream. */
export interface DockerProgressEvent {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Follows a build/import progress stream; rejects on the first error message in it. */
export function followBuildProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onEvent: (event: DockerProgressEvent) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failure: string | undefined;
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        if (error) reject(error);
        else if (failure !== undefined) reject(new Error(failure));
        else resolve();
      },
      (event: DockerProgressEvent) => {
        const message = event.errorDetail?.message ?? event.error;
        if (message !== undefined) failure ??= message;
        else onEvent(event);
      },
    );
  });
}
