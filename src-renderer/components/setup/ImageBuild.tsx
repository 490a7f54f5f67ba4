import { Hammer } from 'lucide-react';
import { useEffect, useId, useRef } from 'react';
import { useDoctor } from '../../state/doctor-store.js';
import { useImageBuild } from './use-image-build.js';
import type { SetupHandle } from './use-setup.js';
import './image-build.css';

/**
 * The sandbox image, built from the page when the engine lacks it: one button, then a progress
 * bar with the build's step and current line. The build belongs to the supervisor, so leaving
 * or reloading the page does not stop it, and this shows it again on return.
 */
export function ImageBuild({ setup, missing }: { setup: SetupHandle; missing: boolean }) {
  const build = useImageBuild();
  const refresh = useDoctor((s) => s.refresh);
  const label = useId();
  const phase = build?.phase ?? 'idle';
  // When a build ends, the checks are asked again, so the step shows the image as the engine has it.
  const seen = useRef(phase);
  useEffect(() => {
    if (seen.current === 'running' && phase !== 'running') void refresh?.();
    seen.current = phase;
  }, [phase, refresh]);
  if (!build || (phase === 'idle' && !missing)) return null;
  const running = phase === 'running';
  const value = build.steps > 0 ? build.step : undefined;
  return (
    <div className="image-build stack" data-testid="image-build" data-phase={phase}>
      {(phase === 'idle' || phase === 'failed' || (phase === 'done' && missing)) && (
        <p>
          <button
            type="button"
            onClick={() => void setup.call('imagebuild:start', {})}
            data-testid="image-build-start"
          >
            <Hammer aria-hidden size={16} />{' '}
            {phase === 'idle' ? 'Build the sandbox image' : 'Build it again'}
          </button>{' '}
          <span className="muted">
            Takes a few minutes, once. It goes on if you leave this page.
          </span>
        </p>
      )}
      {phase !== 'idle' && (
        <div role="status" aria-live="polite">
          <p id={label}>
            {running
              ? `Building ${build.image ?? 'the image'}${build.steps > 0 ? `: step ${build.step} of ${build.steps}` : ''}`
              : phase === 'done'
                ? `Built ${build.image ?? 'the image'}`
                : `The build of ${build.image ?? 'the image'} failed`}
          </p>
          <progress
            className="image-build__bar"
            aria-labelledby={label}
            max={build.steps > 0 ? build.steps : undefined}
            value={running ? value : build.steps > 0 ? build.steps : 1}
            data-testid="image-build-progress"
            data-step={build.step}
            data-steps={build.steps}
          />
          <p
            className={
              phase === 'failed'
                ? 'image-build__line notice notice--error'
                : 'image-build__line muted'
            }
            data-testid="image-build-line"
          >
            {phase === 'failed' ? build.error : build.line}
          </p>
        </div>
      )}
    </div>
  );
}
