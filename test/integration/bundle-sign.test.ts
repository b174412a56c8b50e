// The bundle's PAdES signature, checked with pdfsig (poppler, NSS) and qpdf.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleBundle } from '../../electron/bundle/assemble';
import {
  addSignaturePlaceholder,
  assembleSignedBundle,
  createSigningIdentity,
  identityFromP12,
  signPdfInPlace,
  type CreatedIdentity,
} from '../../electron/bundle/sign';
import {
  ARTIFACTS,
  STATEMENT_TEXT,
  buildInput,
  corpusFile,
  sha256,
  tool,
  toolResult,
  type ExhibitDraft,
} from '../helpers/bundle';
import { tempDir } from '../helpers/tmp';

const AT = '2026-04-02T08:00:00.000Z';
let identity: CreatedIdentity;
let signed: Uint8Array;
let file: string;

function drafts(): ExhibitDraft[] {
  const text = Buffer.from(STATEMENT_TEXT);
  const pdf = corpusFile('pdf-mixed-rotation-distiller.pdf');
  return [
    {
      title: 'Statement of PW1',
      kind: 'statement',
      originalName: 'pw1.txt',
      mediaType: 'text/plain',
      original: text,
      content: { type: 'text', text: STATEMENT_TEXT },
    },
    {
      title: 'Letter',
      kind: 'document',
      originalName: 'letter.pdf',
      mediaType: 'application/pdf',
      original: pdf,
      content: { type: 'pdf', bytes: pdf },
    },
  ];
}

const details = {
  name: 'Wanjikũ Njeri',
  reason: 'Court bundle prepared for filing',
  location: 'Nairobi, Kenya',
  contactInfo: 'wanjiku@imlu.example',
};

beforeAll(async () => {
  identity = createSigningIdentity(
    {
      name: 'Wanjikũ Njeri',
      organisation: 'IMLU',
      country: 'KE',
      notBefore: '2026-01-01T00:00:00.000Z',
    },
    'p12 passphrase',
  );
  ({ pdf: signed } = await assembleSignedBundle(buildInput(drafts()), {
    generatedAt: AT,
    identity,
    signature: details,
  }));
  file = join(ARTIFACTS, 'signed-bundle.pdf');
  writeFileSync(file, signed);
});

function pdfsig(f: string) {
  return toolResult('pdfsig', ['-nocert', f]);
}

describe('the PDF signature', () => {
  it('is reported valid by pdfsig, over the whole file, as PAdES (ETSI.CAdES.detached)', () => {
    const r = pdfsig(file);
    expect(r.out).toContain('Signature #1');
    expect(r.out).toContain('Signer Certificate Common Name: Wanjikũ Njeri');
    expect(r.out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(r.out).toContain('Signature Validation: Signature is Valid.');
    expect(r.out).toContain('Total document signed');
    expect(r.out).not.toContain('Not total document signed');
    expect(r.out).toMatch(/Signing Time:\s+Apr 02 2026 08:00:00/);
    expect(toolResult('qpdf', ['--check', file]).code).toBe(0);
    // The signature dictionary's texts are UTF-16, so the name keeps its ũ.
    const sigDict = JSON.stringify(
      JSON.parse(tool('qpdf', ['--json', '--json-key=acroform', file])),
    );
    expect(sigDict).toContain('Signature1');
    const objects = tool('qpdf', ['--qdf', '--object-streams=disable', file, '-']);
    expect(objects).toContain(
      `/Name <${Buffer.from('\ufeffWanjikũ Njeri', 'utf16le').swap16().toString('hex')}>`,
    );
  });

  it('reports a changed byte in a page stream, and an incremental update appended', () => {
    // One byte inside the first content stream of the file (a stamp or a page), not in the
    // signature's own /Contents.
    const tampered = Buffer.from(signed);
    const streamAt = tampered.indexOf('stream\n', tampered.indexOf('/Filter /FlateDecode')) + 7;
    tampered[streamAt + 5] = (tampered[streamAt + 5]! + 1) & 0xff;
    const t1 = join(tempDir(), 'byte.pdf');
    writeFileSync(t1, tampered);
    const r1 = pdfsig(t1);
    expect(r1.out).not.toContain('Signature is Valid');
    expect(r1.out).toMatch(/Digest Mismatch|Signature is Invalid/);

    const appended = Buffer.concat([
      Buffer.from(signed),
      Buffer.from('\n1000 0 obj\n(appended)\nendobj\n%%EOF\n'),
    ]);
    const t2 = join(tempDir(), 'appended.pdf');
    writeFileSync(t2, appended);
    const r2 = pdfsig(t2);
    expect(r2.out).toContain('Not total document signed');
  });

  it('is deterministic: the same bundle, certificate and key give the same file', async () => {
    const again = await assembleSignedBundle(buildInput(drafts()), {
      generatedAt: AT,
      identity,
      signature: details,
    });
    expect(sha256(again.pdf)).toBe(sha256(signed));
  });

  it('signs with a certificate kept as PKCS#12, and keeps the manifest attachment', async () => {
    const fromP12 = identityFromP12(identity.p12, 'p12 passphrase');
    expect(
      Buffer.compare(Buffer.from(fromP12.certificate), Buffer.from(identity.certificate)),
    ).toBe(0);
    const b = await assembleSignedBundle(buildInput(drafts()), {
      generatedAt: AT,
      identity: fromP12,
      signature: details,
    });
    expect(sha256(b.pdf)).toBe(sha256(signed));
    expect(tool('pdfdetach', ['-list', file])).toContain('kesi-manifest.json');
    expect(() => identityFromP12(identity.p12, 'wrong')).toThrow(/passphrase/);
  });

  it('interoperates with @signpdf: its P12 signer fills the same placeholder validly', async () => {
    // @signpdf's P12 signer re-encodes the certificate with node-forge, which garbles names
    // outside ASCII (pdfsig then reports a validation failure); Kesi's own CMS keeps the
    // certificate's bytes. So the comparison uses an ASCII name.
    const ascii = createSigningIdentity(
      { name: 'Wanjiku Njeri', notBefore: '2026-01-01T00:00:00.000Z' },
      'p12 passphrase',
    );
    const { pdf } = await assembleBundle(buildInput(drafts()), {
      generatedAt: AT,
      beforeSave: (doc) => addSignaturePlaceholder(doc, { ...details, signingTime: AT }),
    });
    const viaSignpdf = await new SignPdf().sign(
      Buffer.from(pdf),
      new P12Signer(ascii.p12, { passphrase: 'p12 passphrase' }),
      new Date(AT),
    );
    const f = join(tempDir(), 'signpdf.pdf');
    writeFileSync(f, viaSignpdf);
    expect(pdfsig(f).out).toContain('Signature is Valid');
    // And ours, on the same unsigned file.
    const ours = signPdfInPlace(Uint8Array.from(pdf), ascii);
    const g = join(tempDir(), 'ours.pdf');
    writeFileSync(g, ours);
    expect(pdfsig(g).out).toContain('Signature is Valid');
  });

  it("refuses a key that is not the certificate's, and a non-RSA key", async () => {
    const other = createSigningIdentity({ name: 'Someone else', notBefore: AT }, 'x');
    await expect(
      assembleSignedBundle(buildInput(drafts()), {
        generatedAt: AT,
        identity: { ...identity, privateKey: other.privateKey },
        signature: details,
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const { generateKeyPairSync } = await import('node:crypto');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await expect(
      assembleSignedBundle(buildInput(drafts()), {
        generatedAt: AT,
        identity: { ...identity, privateKey: ec },
        signature: details,
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(readFileSync(file).length).toBe(signed.length);
  });
});
