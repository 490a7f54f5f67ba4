/**
 * The contract's channel and event names, with no dependencies: the sandboxed preload checks
 * names against these lists without bundling zod. `contract.ts` is type-checked against them,
 * so the two cannot drift.
 */
export const INVOKE_CHANNEL_NAMES = [
  'status:get',
  'gateway:start',
  'gateway:stop',
  'gateway:restart',
  'killswitch:engage',
  'killswitch:rearm',
  'killswitch:history',
  'activity:day',
  'approvals:list',
  'approvals:decide',
  'approvallist:add',
  'approvallist:remove',
  'pairing:list',
  'pairing:approve',
  'pairing:reject',
  'allowlist:list',
  'allowlist:remove',
  'allowlist:add',
  'allowlist:label',
  'providers:list',
  'providers:control',
  'console:send',
  'console:history',
  'sessions:list',
  'sessions:events',
  'sessions:search',
  'sandboxes:list',
  'sandboxes:stop',
  'sandboxfile:read',
  'model:status',
  'modelkey:save',
  'modelkey:clear',
  'security:audit',
  'security:fix',
  'logs:files',
  'logs:query',
  'logs:around',
  'incident:get',
  'incident:check',
  'securityprompt:get',
  'securityprompt:set',
  'web:url',
  'doctor:run',
  'config:get',
  'config:preview',
  'config:save',
  'setup:get',
  'setup:progress',
  'ownercode:create',
  'telegramtoken:save',
  'usage:history',
  'imagebuild:get',
  'imagebuild:start',
  'sessions:recent',
] as const;

/** Every event name. */
export const EVENT_NAMES = [
  'gateway:changed',
  'killswitch:changed',
  'pairing:changed',
  'allowlist:changed',
  'pairing:focus',
  'providers:changed',
  'console:message',
  'session:event',
  'ui:show',
  'config:changed',
  'usage:changed',
  'approvals:changed',
  'engine:changed',
  'imagebuild:changed',
] as const;

/** A request channel name. */
export type InvokeChannelName = (typeof INVOKE_CHANNEL_NAMES)[number];
/** An event name. */
export type EventNameString = (typeof EVENT_NAMES)[number];

/** Whether a value names a request channel in the contract. */
export function isInvokeChannel(name: unknown): name is InvokeChannelName {
  return typeof name === 'string' && (INVOKE_CHANNEL_NAMES as readonly string[]).includes(name);
}

/** Whether a value names an event in the contract. */
export function isEventName(name: unknown): name is EventNameString {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}
