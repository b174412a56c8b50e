import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  generateX25519Identity,
  isAgeIdentity,
  isAgeRecipient,
  recipientOf,
} from '../../electron/vault/age';
import { bech32Encode } from '../../electron/vault/age/bech32';

const hasAgeKeygen = existsSync('/usr/bin/age-keygen');

// From the age specification (c2sp.org/age).
const SPEC_IDENTITY = 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX';
const SPEC_RECIPIENT = 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj';

function keygenRecipient(identity: string): string {
  return execFileSync('/usr/bin/age-keygen', ['-y'], { input: `${identity}\n` })
    .toString()
    .trim();
}

describe('age X25519 keys', () => {
  it('derives the recipient of the specification example', () => {
    expect(recipientOf(SPEC_IDENTITY)).toBe(SPEC_RECIPIENT);
  });

  it('generates well-formed identity and recipient pairs', () => {
    const { identity, recipient } = generateX25519Identity();
    expect(identity).toMatch(/^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/);
    expect(recipient).toMatch(/^age1[02-9ac-hj-np-z]{58}$/);
    expect(isAgeIdentity(identity)).toBe(true);
    expect(isAgeRecipient(recipient)).toBe(true);
    expect(recipientOf(identity)).toBe(recipient);
    expect(generateX25519Identity().identity).not.toBe(identity);
  });

  it.skipIf(!hasAgeKeygen)('agrees with age-keygen -y on our identities', () => {
    for (let i = 0; i < 5; i++) {
      const { identity, recipient } = generateX25519Identity();
      expect(keygenRecipient(identity)).toBe(recipient);
    }
  });

  it.skipIf(!hasAgeKeygen)('reads identities made by age-keygen', () => {
    const file = execFileSync('/usr/bin/age-keygen').toString();
    const identity = /^AGE-SECRET-KEY-1\S+$/m.exec(file)?.[0] ?? '';
    const publicKey = /^# public key: (\S+)$/m.exec(file)?.[1];
    expect(recipientOf(identity)).toBe(publicKey);
  });

  it('refuses the wrong case, prefix, length or checksum', () => {
    const { identity, recipient } = generateX25519Identity();
    expect(isAgeIdentity(identity.toLowerCase())).toBe(false);
    expect(isAgeRecipient(recipient.toUpperCase())).toBe(false);
    expect(isAgeIdentity(recipient)).toBe(false);
    expect(isAgeRecipient(identity)).toBe(false);
    expect(isAgeRecipient(bech32Encode('age', Buffer.alloc(31, 1)))).toBe(false);
    expect(isAgeRecipient(bech32Encode('age', Buffer.alloc(33, 1)))).toBe(false);
    expect(isAgeRecipient(bech32Encode('age', Buffer.alloc(32, 1)))).toBe(true);
    expect(isAgeRecipient(bech32Encode('agex', Buffer.alloc(32, 1)))).toBe(false);
    expect(isAgeRecipient(recipient.slice(0, -1) + (recipient.endsWith('q') ? 'p' : 'q'))).toBe(
      false,
    );
    expect(isAgeRecipient(` ${recipient}`)).toBe(false);
    expect(isAgeRecipient('')).toBe(false);
    expect(() => recipientOf('AGE-SECRET-KEY-1')).toThrow();
  });
});
