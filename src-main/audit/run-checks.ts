import { sortFindings, type Finding } from '../../src-shared/domain/audit.js';
import type { AuditInput } from './audit-input.js';
import {
  checkElevated,
  checkEmptyGroupAllowlist,
  checkMentionGating,
  checkOpenDms,
  checkOpenGroups,
} from './checks-access.js';
import { checkContainers, checkDockerReachable, checkEngineRuntime } from './checks-containers.js';
import { CONTAINER_SELF_CHECKS } from './checks-container-self.js';
import { checkConfigSecrets, checkFileModes } from './checks-files.js';
import {
  checkConfigValid,
  checkLogDestination,
  checkLogRedaction,
  checkSafeStorage,
  checkWebBind,
} from './checks-runtime.js';
import { checkApprovalsAllowlist, checkApprovalsOff } from './checks-approvals.js';
import { checkSandboxMode, checkSandboxOverrides } from './checks-sandbox.js';
import { checkSandboxEngine } from './checks-engine.js';
import type { Check } from './finding-helpers.js';

/** Every check, in no particular order: the findings are sorted worst first. */
export const CHECKS: readonly Check[] = [
  checkConfigValid,
  checkOpenDms,
  checkOpenGroups,
  checkEmptyGroupAllowlist,
  checkMentionGating,
  checkElevated,
  checkApprovalsOff,
  checkApprovalsAllowlist,
  checkSandboxMode,
  checkSandboxOverrides,
  checkSandboxEngine,
  checkContainers,
  checkEngineRuntime,
  checkDockerReachable,
  checkFileModes,
  checkConfigSecrets,
  checkLogRedaction,
  checkLogDestination,
  checkWebBind,
  checkSafeStorage,
  ...CONTAINER_SELF_CHECKS,
];

/** The findings for one gathered input, worst first. */
export function runChecks(input: AuditInput): Finding[] {
  return sortFindings(CHECKS.flatMap((check) => check(input)));
}

/** Findings only a running supervisor knows about: the CLI asks it for these. */
export const RUNTIME_FINDING_IDS: readonly string[] = [
  'web.bind-public',
  'safe-storage.plain-text',
  'container.web-publish-unknown',
];
