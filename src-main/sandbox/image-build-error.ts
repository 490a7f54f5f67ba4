/** The image build failed; the message says what to do about it. */
export class SandboxImageBuildError extends Error {
  override readonly name = 'SandboxImageBuildError';
}
