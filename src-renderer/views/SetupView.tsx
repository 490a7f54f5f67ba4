import { ArrowLeft, ArrowRight, Check, SkipForward } from 'lucide-react';
import type { ReactNode } from 'react';
import { SETUP_STEPS, type SetupStep } from '../../src-shared/domain/setup.js';
import { AuditStep } from '../components/setup/AuditStep.js';
import { ModelStep } from '../components/setup/ModelStep.js';
import { OwnerStep } from '../components/setup/OwnerStep.js';
import { SandboxStep } from '../components/setup/SandboxStep.js';
import { TelegramStep } from '../components/setup/TelegramStep.js';
import { useSetup, type SetupHandle } from '../components/setup/use-setup.js';
import { WhatsAppStep } from '../components/setup/WhatsAppStep.js';
import { useApp } from '../state/store-context.js';
import '../components/settings/settings.css';

const titles: Record<SetupStep, string> = {
  owner: 'You, the owner',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  model: 'The model',
  sandbox: 'The sandbox',
  audit: 'Security audit',
};

function StepBody({ step, setup }: { step: SetupStep; setup: SetupHandle }): ReactNode {
  switch (step) {
    case 'owner':
      return <OwnerStep setup={setup} />;
    case 'telegram':
      return <TelegramStep setup={setup} />;
    case 'whatsapp':
      return <WhatsAppStep />;
    case 'model':
      return <ModelStep setup={setup} />;
    case 'sandbox':
      return <SandboxStep setup={setup} />;
    case 'audit':
      return <AuditStep setup={setup} />;
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}

/**
 * The first-run setup: owner, Telegram, WhatsApp, model, sandbox, audit. It opens by itself on
 * a fresh state directory, can be skipped, resumes where it was left (the progress is kept by
 * the supervisor), and is reachable from the navigation later. Every step writes the config
 * file through the same validated, comment-preserving editor as Settings.
 */
export function SetupView() {
  const setup = useSetup();
  const showView = useApp((s) => s.showView);
  const { state } = setup;
  if (!state) return <p>{setup.error ?? 'Loading…'}</p>;
  const index = SETUP_STEPS.indexOf(state.step);
  const previous = SETUP_STEPS[index - 1];
  const next = SETUP_STEPS[index + 1];
  return (
    <div className="stack setup" data-testid="setup-view">
      <header>
        <h2>Set up Clawdbot</h2>
        <p className="muted">
          Each step saves into <code>{state.configPath}</code> (comments kept). You can leave and
          come back: this page remembers where you were.
        </p>
      </header>
      <nav aria-label="Setup steps">
        <ol className="setup__steps">
          {SETUP_STEPS.map((step, i) => (
            <li key={step}>
              <button
                type="button"
                aria-current={step === state.step ? 'step' : undefined}
                onClick={() => void setup.go(step)}
                data-testid={`setup-step-${step}`}
              >
                {state.done.includes(step) && <Check aria-label="done" size={14} />} {i + 1}.{' '}
                {titles[step]}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <section className="card" aria-labelledby="setup-step-title">
        <h3 id="setup-step-title">
          {index + 1}. {titles[state.step]}
        </h3>
        {setup.error && (
          <p
            id="setup-error"
            className="notice notice--error"
            role="alert"
            data-testid="setup-error"
          >
            {setup.error}
          </p>
        )}
        <StepBody step={state.step} setup={setup} />
      </section>
      <div className="card__actions">
        {previous && (
          <button type="button" onClick={() => void setup.go(previous)}>
            <ArrowLeft aria-hidden size={16} /> Back
          </button>
        )}
        {next ? (
          <button
            type="button"
            onClick={() => void setup.go(next, state.step)}
            data-testid="setup-next"
          >
            Next <ArrowRight aria-hidden size={16} />
          </button>
        ) : (
          <button
            type="button"
            onClick={() =>
              void setup
                .go(state.step, state.step)
                .then(() => setup.finish())
                .then(() => showView('dashboard'))
            }
            data-testid="setup-finish"
          >
            <Check aria-hidden size={16} /> Finish
          </button>
        )}
        {!state.finished && (
          <button
            type="button"
            onClick={() => void setup.finish().then(() => showView('dashboard'))}
            data-testid="setup-skip"
          >
            <SkipForward aria-hidden size={16} /> Skip setup
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * On a state directory that was never set up, a banner on every view that opens the setup; it
 * goes once the setup is finished or skipped. A banner rather than a jump, so a page opened for
 * something else (a pairing request, the kill switch) shows what it was opened for.
 */
export function SetupAutoOpen() {
  const setup = useSetup();
  const showView = useApp((s) => s.showView);
  const view = useApp((s) => s.view);
  if (!setup.state?.needed || view === 'setup') return null;
  return (
    <div className="notice" role="region" aria-label="Set up" data-testid="setup-banner">
      This Clawdbot has no configuration yet.{' '}
      <button type="button" onClick={() => showView('setup')} data-testid="setup-open">
        Set it up
      </button>{' '}
      (owner, Telegram, WhatsApp, model, sandbox, audit), or skip it there.
    </div>
  );
}
