import { describe, expect, it } from 'vitest';
import { parseChatCommand } from '../../src-shared/domain/chat-command.js';

describe('chat commands', () => {
  it.each([
    ['/new', { kind: 'new', rest: '' }],
    ['/reset  ', { kind: 'new', rest: '' }],
    ['/new tell me a joke', { kind: 'new', rest: 'tell me a joke' }],
    ['/elevated on', { kind: 'elevated', on: true, rest: '' }],
    ['/Elevated OFF', { kind: 'elevated', on: false, rest: '' }],
    ['/elevated on run: ls', { kind: 'elevated', on: true, rest: 'run: ls' }],
    ['/elevated@clawd_bot on', { kind: 'elevated', on: true, rest: '', addressedTo: 'clawd_bot' }],
    ['/new@other_bot', { kind: 'new', rest: '', addressedTo: 'other_bot' }],
    ['please /elevated on', { kind: 'none' }],
    ['/elevated', { kind: 'none' }],
    ['/elevatedon', { kind: 'none' }],
    ['/newish', { kind: 'none' }],
  ])('%j', (text, expected) => {
    expect(parseChatCommand(text)).toEqual(expected);
  });
});
