import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  CHANNEL_PREFIX,
  METHOD_NAME_PATTERN,
  METHOD_NAMES,
  channelOf,
  contract,
  isMethodName,
  mediaUrl,
  type ArgsOf,
  type CaseView,
  type KesiApi,
  type ResultOf,
  type VaultStatus,
} from '../../shared/contract';
import {
  KesiCallError,
  errorCodeOf,
  errorEnvelope,
  isEnvelope,
  okEnvelope,
  unwrapEnvelope,
} from '../../shared/envelope';
import { parseInput } from '../../shared/validate';
import { KesiError } from '../../shared/errors';

const EXPECTED = [
  // session
  'vaultStatus',
  'createVault',
  'unlock',
  'unlockWithRecoveryKey',
  'lock',
  'whoami',
  'setAutoLock',
  'getSettings',
  'setLanguage',
  // users
  'listUsers',
  'addUser',
  'changePassphrase',
  'removeUser',
  // cases
  'listCases',
  'getCase',
  'createCase',
  'updateCase',
  // persons
  'listPersons',
  'addPerson',
  'revealPerson',
  // items
  'listItems',
  'getItem',
  'addFiles',
  'updateItem',
  'transfer',
  'addExhibit',
  'currentCustodian',
  'itemLog',
  'caseLog',
  'vaultLog',
  // search, audit, bundle verification
  'search',
  'audit',
  'exportAuditReport',
  'exportItem',
  'verifyBundle',
  // bundles
  'listBundles',
  'getBundle',
  'defaultBundleSpec',
  'saveBundle',
  'generateBundle',
  // long work and the desktop
  'cancelJob',
  'chooseSavePath',
  'openPath',
];

describe('the contract', () => {
  it('covers the session, users, cases, persons, items, search, audit and bundles', () => {
    expect([...METHOD_NAMES].sort()).toEqual([...EXPECTED].sort());
  });

  it('gives every method a zod tuple of arguments and a described result', () => {
    for (const m of METHOD_NAMES) {
      expect(contract[m].args).toBeInstanceOf(z.ZodTuple);
      expect(contract[m].result.description.length).toBeGreaterThan(5);
      expect(m).toMatch(METHOD_NAME_PATTERN);
      expect(channelOf(m)).toBe(`${CHANNEL_PREFIX}${m}`);
    }
  });

  it('knows its own method names and nothing else', () => {
    expect(isMethodName('listCases')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
    expect(isMethodName('nope')).toBe(false);
    expect(isMethodName(42)).toBe(false);
  });

  it('parses arguments with the shared input schemas', () => {
    const [input] = parseInput(contract.createCase.args, [{ ref: 'IMLU-2026-014', title: ' T ' }]);
    expect(input.title).toBe('T');
    expect(() => parseInput(contract.createCase.args, [{ ref: '', title: 'T' }])).toThrow(
      KesiError,
    );
    // Optional trailing arguments may be left out; extra ones are refused.
    expect(parseInput(contract.listCases.args, [])).toEqual([]);
    expect(() => parseInput(contract.listCases.args, [{}, 'extra'])).toThrow(/not valid/);
    expect(() => parseInput(contract.getItem.args, ['1'])).toThrow(/number/);
    expect(() => parseInput(contract.getItem.args, [1.5])).toThrow(KesiError);
  });

  it('takes files by absolute path only', () => {
    const ok = (paths: string[]) =>
      contract.addFiles.args.safeParse([{ caseRef: 'C-1', paths }]).success;
    expect(ok(['/home/amina/photo.jpg'])).toBe(true);
    expect(ok(['C:\\Users\\amina\\photo.jpg'])).toBe(true);
    expect(ok(['\\\\server\\share\\photo.jpg'])).toBe(true);
    expect(ok(['photo.jpg'])).toBe(false);
    expect(ok(['../etc/passwd'])).toBe(false);
  });

  it('refuses unknown fields in session calls', () => {
    expect(
      contract.unlock.args.safeParse([{ user: 'amina', passphrase: 'x', admin: true }]).success,
    ).toBe(false);
  });

  it('types window.kesi from the table', () => {
    expectTypeOf<KesiApi['getCase']>().toEqualTypeOf<(ref: string) => Promise<CaseView>>();
    expectTypeOf<ResultOf<'vaultStatus'>>().toEqualTypeOf<VaultStatus>();
    // An optional trailing argument may be left out.
    expectTypeOf<[]>().toMatchTypeOf<ArgsOf<'listCases'>>();
    expectTypeOf<[{ status: 'open' }]>().toMatchTypeOf<ArgsOf<'listCases'>>();
    expectTypeOf<ResultOf<'lock'>>().toEqualTypeOf<void>();
  });

  it('builds evidence addresses', () => {
    expect(mediaUrl(42)).toBe('kesi-media://item/42/original');
    expect(mediaUrl(42, 'thumbnail')).toBe('kesi-media://item/42/thumbnail');
    expect(mediaUrl(42, 'page', 3)).toBe('kesi-media://item/42/page/3');
  });
});

describe('the envelope', () => {
  it('wraps and unwraps values', () => {
    expect(unwrapEnvelope(okEnvelope(7))).toBe(7);
    expect(isEnvelope(okEnvelope(undefined))).toBe(true);
  });

  it('turns errors into a KesiCallError with the code', () => {
    const env = errorEnvelope(new KesiError('CASE_NOT_FOUND').toData());
    let caught: unknown;
    try {
      unwrapEnvelope(env);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(KesiCallError);
    expect(caught).toMatchObject({ code: 'CASE_NOT_FOUND', message: expect.any(String) });
  });

  it('reads the code of any thrown call error, whatever its realm', () => {
    expect(errorCodeOf(new KesiCallError({ code: 'FORBIDDEN', message: 'No.' }))).toBe('FORBIDDEN');
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'VAULT_LOCKED' }))).toBe(
      'VAULT_LOCKED',
    );
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBeNull();
    expect(errorCodeOf(new Error('x'))).toBeNull();
    expect(errorCodeOf({ code: 'toString' })).toBeNull();
    expect(errorCodeOf('VAULT_LOCKED')).toBeNull();
  });

  it('treats a malformed reply as INTERNAL', () => {
    for (const bad of [null, 'x', { ok: 'yes' }, { ok: false }, { ok: false, error: {} }]) {
      expect(isEnvelope(bad)).toBe(false);
      expect(() => unwrapEnvelope(bad)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    }
  });
});
