import { randomInt } from 'node:crypto';
import { PAIRING_ALPHABET, PAIRING_CODE_LENGTH } from '../../src-shared/domain/access.js';

/** A source of uniform random integers in [0, max); cryptographic unless a test says otherwise. */
export type RandomInt = (max: number) => number;

/** A fresh pairing code: 8 characters, each drawn with a cryptographic RNG from the alphabet. */
export function generatePairingCode(random: RandomInt = randomInt): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++)
    code += PAIRING_ALPHABET[random(PAIRING_ALPHABET.length)];
  return code;
}
