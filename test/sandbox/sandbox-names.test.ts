import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_CONTAINER_NAME_LENGTH,
  sandboxContainerName,
  sandboxId,
  slugScopeKey,
} from '../../src-main/sandbox/sandbox-names.js';

const INSTALLATION = '0123abcd'.repeat(4);

describe('sandbox names', () => {
  it('slugs a session key: lowercased, unsafe characters to "-", at most 32 characters', () => {
    expect(slugScopeKey('group:Telegram:-100123')).toBe('group-telegram--100123');
    expect(slugScopeKey('dm:whatsapp:+15555550123@s.whatsapp.net')).toBe(
      'dm-whatsapp--15555550123-s.whats',
    );
    expect(slugScopeKey('dm:whatsapp:+15555550123@s.whatsapp.net')).toHaveLength(32);
    expect(slugScopeKey('main')).toBe('main');
    expect(slugScopeKey('../../etc')).toBe('..-..-etc');
    expect(slugScopeKey('')).toBe('session');
  });

  it('names the container clawdbot-sbx-<slug>-<8 hex of the sha1 of the key>-<installation>', () => {
    // sha1("main") = b28b7af69320201d1cf206ebf28373980add1451
    expect(sandboxContainerName('main', INSTALLATION)).toBe('clawdbot-sbx-main-b28b7af6-0123abcd');
    expect(sandboxId('main')).toBe('main-b28b7af6');
  });

  it('gives two installations different container names for the same session', () => {
    expect(sandboxContainerName('dm:telegram:1', INSTALLATION)).not.toBe(
      sandboxContainerName('dm:telegram:1', 'ffffffff' + INSTALLATION.slice(8)),
    );
  });

  it('keeps keys whose slugs collide apart, case included', () => {
    expect(slugScopeKey('group:1')).toBe(slugScopeKey('group-1'));
    expect(sandboxId('group:1')).not.toBe(sandboxId('group-1'));
    expect(sandboxId('Main')).not.toBe(sandboxId('main'));
  });

  it('is always a valid Docker name of at most 63 characters, and a safe file name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (key) => {
        const name = sandboxContainerName(key, INSTALLATION);
        expect(name.length).toBeLessThanOrEqual(MAX_CONTAINER_NAME_LENGTH);
        expect(name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
        const id = sandboxId(key);
        expect(id).toMatch(/^[a-z0-9._-]+-[0-9a-f]{8}$/);
        expect(['.', '..']).not.toContain(id);
        expect(id).not.toContain('/');
      }),
    );
  });
});
