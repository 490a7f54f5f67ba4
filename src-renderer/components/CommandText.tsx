import { revealCommand } from '../../src-shared/approvals/reveal-command.js';

/**
 * A command exactly as it will run, in monospace: ANSI escapes stripped, invisible characters
 * (zero-width, bidi overrides, control characters) shown as `⟨U+…⟩`, look-alike letters of other
 * scripts highlighted, each with its code point on hover.
 */
export function CommandText({ command, testId }: { command: string; testId?: string }) {
  return (
    <pre className="command-text" data-testid={testId}>
      <code>
        {revealCommand(command).map((piece, index) =>
          piece.kind === 'text' ? (
            <span key={index}>{piece.text}</span>
          ) : (
            <mark
              key={index}
              className={`command-text__${piece.kind}`}
              title={piece.title}
              data-testid={`command-${piece.kind}`}
            >
              {piece.text}
            </mark>
          ),
        )}
      </code>
    </pre>
  );
}
