/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
 * 31-character alphabet (no I, O, S, V, Z); the last is a check character computed from
 * the first 17 with fixed weights, modulo 31.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const digit = ALPHABET.indexOf(first17[i]!);
    if (digit < 0) throw new Error(`invalid character ${first17[i]}`);
    sum += digit * WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return ALPHABET[check]!;
}

/** What is wrong with a code, or null when valid: its length, a character it never has, the check character. */
export function creditCodeFault(code: string): 'length' | 'characters' | 'check_character' | null {
  if (code.length !== 18) return 'length';
  for (const ch of code) if (!ALPHABET.includes(ch)) return 'characters';
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return 'check_character';
  return null;
}

/** Answers null when valid, or the reason it is not, in English. */
export function creditCodeProblem(code: string): string | null {
  switch (creditCodeFault(code)) {
    case 'length':
      return 'must be 18 characters';
    case 'characters':
      return `contains "${[...code].find((ch) => !ALPHABET.includes(ch))}", which a credit code never has`;
    case 'check_character':
      return 'check character does not match (a typo?)';
    default:
      return null;
  }
}

export const normaliseCreditCode = (code: string) => code.trim().toUpperCase();

/** A valid code built from 17 characters, for demo data and tests. */
export function makeCreditCode(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}
