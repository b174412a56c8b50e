// `kesi demo DIR`: a new vault holding an invented case, so that the whole job — intake,
// custody, a court bundle, its verification — can be tried in a few commands without real
// evidence. Every person, place detail and event in it is made up.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KesiError } from '../../shared/errors';
import { KesiService } from '../service/service';
import { createVault, lockVault } from '../vault/vault';
import { DEMO_PEOPLE, demoP3Report, demoPhotos, demoStatements } from './files';

export const DEMO_CASE_REF = 'DEMO-2026-001';

export interface DemoOptions {
  admin: string;
  passphrase: string;
  name?: string;
  /** scrypt cost of the passphrase slot (tests use a low one). */
  kdfLogN?: number;
  place?: string;
}

export interface DemoResult {
  dir: string;
  vaultId: string;
  admin: string;
  caseRef: string;
  items: number;
  persons: number;
  recoveryIdentity: string;
}

/** Creates the demo vault in `dir` (a new or empty folder) and locks it again. */
export async function createDemoVault(dir: string, opts: DemoOptions): Promise<DemoResult> {
  const created = await createVault(dir, {
    admin: opts.admin,
    passphrase: opts.passphrase,
    name: opts.name ?? 'Kesi demo vault',
    ...(opts.kdfLogN !== undefined ? { kdfLogN: opts.kdfLogN } : {}),
  });
  const svc = new KesiService(created.vault, created.user, {
    place: opts.place ?? 'IMLU office, Nairobi (demo)',
  });
  const work = await mkdtemp(join(tmpdir(), 'kesi-demo-'));
  try {
    await fillDemoCase(svc, work);
    const result: DemoResult = {
      dir,
      vaultId: created.vault.header.vaultId,
      admin: opts.admin,
      caseRef: DEMO_CASE_REF,
      items: svc.listItems(DEMO_CASE_REF).length,
      persons: svc.listPersons(DEMO_CASE_REF).length,
      recoveryIdentity: created.recoveryIdentity,
    };
    return result;
  } finally {
    svc.lock();
    lockVault(created.vault);
    await rm(work, { recursive: true, force: true });
  }
}

async function fillDemoCase(svc: KesiService, work: string): Promise<void> {
  const p = DEMO_PEOPLE;
  svc.createCase({
    ref: DEMO_CASE_REF,
    title: 'Assault in police custody, Kilimani (demo)',
    obNumber: 'OB 41/14/03/2026',
    policeStation: 'Kilimani Police Station',
    county: 'Nairobi',
    incidentDate: '2026-03-13',
    court: "Chief Magistrate's Court at Milimani",
    courtCaseNumber: 'Criminal Case No. E123 of 2026',
    accountableOfficer: p.investigator,
  });
  svc.addPerson(DEMO_CASE_REF, { role: 'survivor', fullName: p.complainant });
  svc.addPerson(DEMO_CASE_REF, {
    role: 'witness',
    fullName: p.witness,
    pseudonym: p.witnessPseudonym,
    protected: true,
  });
  svc.addPerson(DEMO_CASE_REF, {
    role: 'suspect_officer',
    fullName: p.officer,
    serviceNumber: '000000 (demo)',
  });
  svc.addPerson(DEMO_CASE_REF, { role: 'medical_officer', fullName: p.doctor });

  const add = async (
    name: string,
    bytes: Uint8Array,
    fields: {
      kind: 'statement' | 'medical_report' | 'photo';
      title: string;
      description?: string;
      capturedBy?: string;
      subtype?: 'p3';
      reason: string;
    },
  ) => {
    const path = join(work, name);
    await writeFile(path, bytes);
    const [r] = await svc.addFiles({ caseRef: DEMO_CASE_REF, paths: [path], ...fields });
    if (!r || r.status !== 'added') {
      throw new KesiError('INTERNAL', `The demo file ${name} was not taken in.`, {
        reason: r?.error?.message ?? r?.status ?? 'no result',
      });
    }
  };

  for (const s of demoStatements()) {
    await add(s.name, Buffer.from(s.text, 'utf8'), {
      kind: 'statement',
      title: s.title,
      capturedBy: p.investigator,
      reason: `Statement recorded from ${s.maker === p.witness ? p.witnessPseudonym : s.maker}`,
    });
  }
  await add('P3-Otieno-Baraka-Ouma.pdf', await demoP3Report(), {
    kind: 'medical_report',
    subtype: 'p3',
    title: `P3 medical examination report of ${p.complainant}`,
    description: `Examined by ${p.doctor} on 14 March 2026.`,
    reason: 'Copy of the P3 form received from the hospital',
  });
  for (const ph of await demoPhotos()) {
    await add(ph.name, ph.bytes, {
      kind: 'photo',
      title: ph.title,
      description: ph.description,
      capturedBy: p.investigator,
      reason: 'Photographs taken at the scene',
    });
  }
  const shirt = svc.addExhibit(DEMO_CASE_REF, {
    title: 'Blue shirt with dark stains',
    description: `Worn by ${p.complainant} on 13 March 2026; handed over on 14 March 2026.`,
    seal: 'IMLU-SEAL-0412',
    custodian: p.investigator,
    organisation: 'Independent Medico-Legal Unit (IMLU)',
    place: 'IMLU office, Nairobi',
    reason: 'Received from the complainant and sealed in an evidence bag',
  });
  svc.transfer(shirt.id, {
    to: 'Government Chemist, Nairobi',
    organisation: 'Government Chemist Department',
    place: 'Government Chemist, Nairobi',
    seal: 'IMLU-SEAL-0412',
    reason: 'Sent for blood-stain analysis',
  });
}
