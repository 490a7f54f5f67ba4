import type { ApprovalRequest } from '../domain/approvals.js';

/**
 * Where a request's command runs (or ran), from what was recorded when it was asked for:
 * `this computer (host)`, `sandbox on ssh://ci@build:22, runsc`, or, for a sandboxed request
 * stored before the engine was recorded, `sandbox (engine not recorded)` — never the engine
 * configured now, which may be another one.
 */
export function approvalRunsOn(request: Pick<ApprovalRequest, 'where' | 'engine'>): string {
  switch (request.where) {
    case 'host':
      return 'this computer (host)';
    case 'sandbox': {
      const { engine } = request;
      if (engine === null) return 'sandbox (engine not recorded)';
      return `sandbox on ${engine.endpoint}, ${engine.runtime ?? 'the engine’s default runtime'}`;
    }
    default: {
      const never: never = request.where;
      return never;
    }
  }
}
