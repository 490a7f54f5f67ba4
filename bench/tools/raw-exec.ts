import type Docker from 'dockerode';

/**
 * The baseline a tool call is held to: a bare Docker API exec with nothing around it. Create,
 * start (hijacked, as the sandbox does), read the stream to its end, then `exec inspect` for the
 * exit code (polled, as the stream can end a moment before the engine records the exit).
 * Resolves the exit code; output is read and dropped.
 */
export async function rawApiExec(
  container: Docker.Container,
  cmd: string[],
  user: string,
): Promise<number | null> {
  const exec = await container.exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    User: user,
    WorkingDir: '/workspace',
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve).on('close', resolve).on('error', reject);
    stream.resume();
  });
  for (;;) {
    const info = await exec.inspect();
    if (!info.Running) return info.ExitCode;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
