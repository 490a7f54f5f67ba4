import type { DmPolicy, GroupPolicy } from '../../src-shared/config/schema.js';

/** A policy's short name and what it means for the people writing to the bot. */
export interface PolicyWords {
  name: string;
  meaning: string;
}

/** The DM policies in plain words. */
export const dmPolicyWords: Record<DmPolicy, PolicyWords> = {
  pairing: {
    name: 'Pairing',
    meaning: 'Strangers get a pairing code and are ignored until you approve them.',
  },
  allowlist: {
    name: 'Allowlist only',
    meaning:
      'Only the people listed below can message the bot. Everyone else is ignored without a reply (and logged).',
  },
  open: {
    name: 'Open to anyone',
    meaning: 'Anyone who finds the bot can message it, each in a session of their own.',
  },
  disabled: {
    name: 'Disabled',
    meaning: 'All direct messages are ignored, yours included.',
  },
};

/** The group policies in plain words. */
export const groupPolicyWords: Record<GroupPolicy, PolicyWords> = {
  allowlist: {
    name: 'Allowlist',
    meaning: 'In groups, only you and the people under "Who may trigger it" can make the bot act.',
  },
  open: {
    name: 'Open to anyone',
    meaning: 'Anyone in an allowed group can make the bot act.',
  },
  disabled: {
    name: 'Disabled',
    meaning: 'All group messages are ignored.',
  },
};
