import type { DecisionSurface } from '../../src-shared/domain/approvals.js';
import { RANGE_DAYS } from '../../src-shared/domain/usage-history.js';
import { senderLookup } from '../access/sender-lookup.js';
import { DEFAULT_KILL_REASON, type KillSource } from '../../src-shared/domain/kill-switch.js';
import { AppError } from '../../src-shared/domain/app-error.js';
import { IDLE_IMAGE_BUILD } from '../../src-shared/domain/image-build.js';
import { createSecurityHandlers, type SecurityHost } from './security-handlers.js';
import { createDoctorHandlers, type DoctorRunner } from './doctor-handlers.js';
import type { ImageBuildAdmin } from './image-build-admin.js';
import type { CallContext, ContractHandlers } from './ipc-router.js';
import type { Supervisor } from './supervisor.js';

function surfaceOf(context: CallContext): DecisionSurface {
  switch (context.transport) {
    case 'control-socket':
      return 'cli';
    case 'tray':
      return 'tray';
    case 'electron':
      return 'desktop';
    case 'web':
      return 'web';
    default: {
      const unreachable: never = context.transport;
      throw new Error(`unknown transport ${String(unreachable)}`);
    }
  }
}

function killSourceOf(context: CallContext): KillSource {
  switch (context.transport) {
    case 'control-socket':
      return 'cli';
    case 'tray':
      return 'tray';
    case 'electron':
    case 'web':
      return 'ui';
    default: {
      const unreachable: never = context.transport;
      throw new Error(`unknown transport ${String(unreachable)}`);
    }
  }
}

/**
 * The supervisor's implementation of every contract channel. `security` tells the audit what
 * only the hosting process knows (state directory, web bind address, safeStorage backend).
 */
export function createContractHandlers(
  supervisor: Supervisor,
  security?: SecurityHost,
  doctor?: DoctorRunner,
  imageBuild?: ImageBuildAdmin,
): ContractHandlers {
  // A web token exists when this supervisor serves the web UI (the caller may be the CLI).
  const webMode = (context: CallContext): boolean =>
    Boolean(security?.webHost) || context.transport === 'web';
  return {
    ...createSecurityHandlers(security),
    ...createDoctorHandlers(supervisor, doctor),
    'status:get': () => supervisor.snapshot(),
    'approvals:list': () => supervisor.approvals.overview(),
    'approvals:decide': (input, context) =>
      supervisor.approvals.decide(input.id, input.choice, surfaceOf(context), input.entry),
    'approvallist:add': (input, context) =>
      supervisor.approvals.addEntry(input, surfaceOf(context)),
    'approvallist:remove': (input) => supervisor.approvals.removeEntry(input),
    'gateway:start': () => supervisor.startGateway(),
    'gateway:stop': () => supervisor.stopGateway(),
    'gateway:restart': () => supervisor.restartGateway(),
    'killswitch:engage': (input, context) =>
      supervisor.engageKillSwitch(input.reason ?? DEFAULT_KILL_REASON, killSourceOf(context)),
    'killswitch:rearm': () => supervisor.rearm(),
    'killswitch:history': () => supervisor.killHistory(),
    'activity:day': () => supervisor.activity(),
    'pairing:list': () => supervisor.access.pendingRequests(),
    'pairing:approve': (input) =>
      supervisor.access.approve(input.provider, input.code, input.notify),
    'pairing:reject': (input) => supervisor.access.reject(input.provider, input.code),
    'allowlist:list': () => supervisor.access.overview(),
    'providers:list': () => supervisor.relay.providers(),
    'providers:control': (input) => supervisor.relay.controlProvider(input.provider, input.action),
    'console:send': (input) => supervisor.relay.consoleSend(input.text),
    'console:history': () => supervisor.relay.consoleHistory(),
    'allowlist:remove': (input) =>
      supervisor.access.removeEntry(input.provider, input.kind, input.id),
    'allowlist:add': (input) =>
      supervisor.access.addEntry(input.provider, input.kind, input.id, input.label || null),
    'allowlist:label': (input) =>
      supervisor.access.labelEntry(input.provider, input.kind, input.id, input.label),
    'sessions:list': () => supervisor.sessions.list(),
    'sessions:recent': (input) => supervisor.sessions.recent(input.limit),
    'sessions:events': (input) => supervisor.sessions.page(input.key, input),
    'sessions:search': (input) => supervisor.sessions.search(input.query, input.key, input.limit),
    'sandboxes:list': (input) => supervisor.sessions.sandboxes(input.detail ?? true),
    'sandboxes:stop': (input) => supervisor.sessions.stopSandbox(input.name),
    'sandboxfile:read': (input) => supervisor.sessions.readSandboxFile(input.name, input.path),
    'model:status': () => supervisor.model.status(),
    'modelkey:save': (input) => supervisor.model.saveKey(input.key),
    'modelkey:clear': () => supervisor.model.clearKey(),
    'logs:files': () => supervisor.logs.days(),
    'logs:query': (input) => supervisor.logs.query(input),
    'logs:around': (input) => supervisor.logs.around(input),
    'incident:get': (_input, context) => supervisor.incident.get(webMode(context)),
    'incident:check': (input, context) =>
      supervisor.incident.check(input.incident, input.item, input.checked, webMode(context)),
    'securityprompt:get': () => supervisor.incident.securityPrompt(),
    'securityprompt:set': (input) => supervisor.incident.saveSecurityPrompt(input),
    'config:get': () => supervisor.configAdmin.view(),
    'config:preview': (input) => supervisor.configAdmin.preview(input.changes),
    'config:save': (input) => supervisor.configAdmin.save(input.changes),
    'setup:get': () => supervisor.setup.state(),
    'setup:progress': (input) =>
      supervisor.setup.saveProgress(input.step, input.done, input.finished),
    'ownercode:create': () => supervisor.setup.newOwnerCode(),
    'telegramtoken:save': (input) => supervisor.setup.saveTelegramToken(input.token),
    'web:url': () => ({ url: security?.webUrl?.() ?? null }),
    'usage:history': (input) =>
      supervisor.usage.history(RANGE_DAYS[input.range], senderLookup(supervisor.access.overview())),
    'imagebuild:get': () => imageBuild?.state() ?? IDLE_IMAGE_BUILD,
    'imagebuild:start': () => {
      if (!imageBuild) throw new AppError('UNAVAILABLE', 'this supervisor cannot build images');
      return imageBuild.start();
    },
  };
}
