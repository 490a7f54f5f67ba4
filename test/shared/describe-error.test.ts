import { describe, expect, it } from 'vitest';
import { describeError } from '../../src-shared/errors/describe-error.js';

describe('describeError', () => {
  it('gives an Error its message, without the "Error:" prefix String() adds', () => {
    expect(describeError(new TypeError('bad port'))).toBe('bad port');
  });

  it('gives thrown strings and other values as text', () => {
    expect(describeError('socket hang up')).toBe('socket hang up');
    expect(describeError(42)).toBe('42');
    expect(describeError(undefined)).toBe('undefined');
  });

  it('still answers for a value whose toString throws', () => {
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    expect(describeError(hostile)).toBe('[object Object]');
  });
});
