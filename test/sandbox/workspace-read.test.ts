import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkspacePathError } from '../../src-main/sandbox/sandbox-errors.js';
import { readWorkspaceFileNoFollow } from '../../src-main/sandbox/workspace-read.js';

const scratch = mkdtempSync(join(tmpdir(), 'clawdbot-ws-read-'));
const workspace = join(scratch, 'workspace');
const secret = join(scratch, 'host-secret.txt');
mkdirSync(join(workspace, 'docs'), { recursive: true });
writeFileSync(secret, 'the host secret');
writeFileSync(join(workspace, 'docs', 'note.txt'), 'a note');
symlinkSync(secret, join(workspace, 'leak.txt'));
symlinkSync(scratch, join(workspace, 'up'));
symlinkSync('note.txt', join(workspace, 'docs', 'relative-link.txt'));
execFileSync('mkfifo', [join(workspace, 'pipe')]);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const refusal = (relPath: string): WorkspacePathError => {
  try {
    readWorkspaceFileNoFollow(workspace, relPath);
  } catch (error) {
    if (error instanceof WorkspacePathError) return error;
    throw error;
  }
  throw new Error(`${relPath} was read`);
};

describe('host-side reads of a workspace', () => {
  it('read regular files', () => {
    expect(readWorkspaceFileNoFollow(workspace, 'docs/note.txt').toString()).toBe('a note');
    expect(readWorkspaceFileNoFollow(workspace, './docs//note.txt').toString()).toBe('a note');
  });

  it('refuse a symlink to a host file, a symlinked directory on the way, and relative links', () => {
    expect(refusal('leak.txt').reason).toBe('symlink');
    expect(refusal('up/host-secret.txt').reason).toBe('symlink');
    expect(refusal('docs/relative-link.txt').reason).toBe('symlink');
  });

  it('refuse paths that leave the workspace, and things that are not files', () => {
    expect(refusal('../host-secret.txt').reason).toBe('outside');
    expect(refusal(secret).reason).toBe('outside');
    expect(refusal('docs/../../host-secret.txt').reason).toBe('outside');
    expect(refusal('').reason).toBe('outside');
    expect(refusal('docs').reason).toBe('not-a-file');
    expect(refusal('pipe').reason).toBe('not-a-file');
  });
});
