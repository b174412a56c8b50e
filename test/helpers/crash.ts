// Crash consistency of intake: a `kesi add` child process is killed with SIGKILL at random
// points, and after each kill the vault must open, pass its audit (leftover blobs and temp files
// are warnings), and hold every committed item intact, with its derivatives and its intake
// record. Used by test/integration/crash.test.ts (50 kills) and bench/crash.mjs (300 or more).
//
// Each kill is either timed from outside (a seeded random delay between 0 and the duration of an
// uninterrupted add, measured first) or, for one kill in five, fired by the probe in the child
// within half a millisecond of the BEGIN or COMMIT of its Nth transaction (see crash-probe.ts).
// The probe's markers tell where each kill landed.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  cpSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ItemRecord } from '../../electron/catalogue';
import type { KesiService } from '../../electron/service/service';
import { auditVault, type AuditReport } from '../../electron/verify/audit';
import { lockVault, type UnlockedVault } from '../../electron/vault/vault';
import { KESI_BIN, ROOT } from './cli';
import { MARKERS, PROBE_SOURCE, type Marker } from './crash-probe';
import { cameraJpeg } from './images';
import { tempDir } from './tmp';
import { ADMIN, ADMIN_PASS, newVault, openAs } from './vault';

export interface CrashOptions {
  iterations: number;
  seed: number;
  /** A fresh vault every this many kills, so that the audit's cost stays bounded. */
  killsPerVault?: number;
  /**
   * Sizes of the random files added with --force, in MiB. Above 32 MiB the blob store starts
   * background flushes while it writes, one more stage for a kill to meet.
   */
  binaryMiB?: number[];
  textFiles?: number;
  /** Photos per add: the first is new every time; the others re-use pictures (new bytes). */
  photos?: number;
  /** Every this many kills, the probe in the child fires inside a transaction or its COMMIT. */
  probeKillEvery?: number;
  log?: (line: string) => void;
}

/** Where a kill landed, from the last marker the child wrote before it died. */
export const PHASES = [
  'startup', // process start, module loading, unlock: before any file is touched
  'inspect', // reading a source file, sniffing, decoding it, making derivatives
  'blob write', // hashing, encrypting and writing a blob's temp file (and its periodic flushes)
  'blob fsync', // the blob's final fsync
  'blob rename', // renaming it into place, or removing it as a duplicate
  'transaction', // inside a catalogue transaction, before COMMIT
  'commit', // during COMMIT
  'between', // after a blob was placed or a commit returned, before the next step
  'closing', // the final tree head's commit is done; the catalogue is being closed
  'exiting', // the process was exiting normally
] as const;
export type Phase = (typeof PHASES)[number];

const PHASE_OF: Record<Marker, Phase> = {
  boot: 'startup',
  read: 'inspect',
  blob: 'blob write',
  flush: 'blob write',
  fsync: 'blob fsync',
  rename: 'blob rename',
  dedupe: 'blob rename',
  placed: 'between',
  begin: 'transaction',
  commit: 'commit',
  committed: 'between',
  rollback: 'transaction',
  close: 'closing',
  closed: 'closing',
  exit: 'exiting',
  kill: 'commit', // not a step of the add: left out when the phase is found
};

export interface CrashReport {
  seed: number;
  iterations: number;
  vaults: number;
  seconds: number;
  /** Where the time went, in seconds: the children, the audits, the other checks, the files. */
  time: { children: number; audits: number; checks: number; files: number };
  /** Duration of an uninterrupted add of one batch, which bounds the random delays. */
  addSeconds: number;
  filesPerAdd: number;
  bytesPerAdd: number;
  /** How each child ended: killed by the timer, by the probe in a transaction, or finished. */
  ends: { timer: number; probe: number; finished: number };
  /** Kills by where they landed. */
  phases: Record<Phase, number>;
  /** Kills by the probe in a transaction: was that transaction's item kept or rolled back? */
  txKills: { kept: number; rolledBack: number; treeHead: number };
  itemsCommitted: number;
  /** Files of killed adds that were not committed (they would be added again). */
  filesLost: number;
  /** Warnings of the last audit of each vault, by code (leftover blobs and temp files). */
  auditWarnings: Record<string, number>;
  /** Leftovers counted directly after the last kill of each vault. */
  unreferencedBlobs: number;
  tempFiles: number;
}

interface SourceFile {
  path: string;
  name: string;
  size: number;
  photo: boolean;
  /** Computed when first asked for: most large files of a killed add are never committed. */
  sha256: () => string;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same delays, files and orders. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The JPEG with a comment segment after its APPn segments: new bytes, the same picture. */
export function withJpegComment(jpeg: Buffer, text: string): Buffer {
  let pos = 2;
  while (jpeg[pos] === 0xff && (jpeg[pos + 1] ?? 0) >= 0xe0 && (jpeg[pos + 1] ?? 0) <= 0xef) {
    pos += 2 + jpeg.readUInt16BE(pos + 2);
  }
  const body = Buffer.from(text, 'latin1');
  const head = Buffer.from([0xff, 0xfe, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, pos), head, body, jpeg.subarray(pos)]);
}

const WORDS = (
  'the witness saw two officers from the station stop the motorcycle near the market at about ' +
  'nine in the evening and beat the rider with batons before taking him away in a land cruiser'
).split(' ');

/** The files of each add: statements, photos and large unknown-type files, new bytes each time. */
class Workload {
  private pictures: Buffer[] = [];
  private binaries: { path: string; data: Buffer }[] = [];

  constructor(
    private readonly dir: string,
    private readonly rand: () => number,
    private readonly opts: Required<Pick<CrashOptions, 'binaryMiB' | 'textFiles' | 'photos'>>,
  ) {}

  async init(): Promise<void> {
    for (let i = 1; i < this.opts.photos; i++) {
      this.pictures.push(await cameraJpeg(1600, 1200, 1000 + i));
    }
    mkdirSync(join(this.dir, 'large'), { recursive: true });
    this.binaries = this.opts.binaryMiB.map((mib, j) => {
      const path = join(this.dir, 'large', `export-${j}.bin`);
      const data = randomBytes(Math.round(mib * 2 ** 20));
      writeFileSync(path, data);
      return { path, data };
    });
  }

  async files(batch: number): Promise<SourceFile[]> {
    const dir = join(this.dir, `add-${batch}`);
    rmSync(join(this.dir, `add-${batch - 1}`), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const out: SourceFile[] = [];
    const lazyHash = (data: Buffer) => {
      let hex: string | undefined;
      return () => (hex ??= createHash('sha256').update(data).digest('hex'));
    };
    const put = (name: string, data: Buffer, photo: boolean) => {
      const path = join(dir, name);
      writeFileSync(path, data);
      out.push({ path, name, size: data.length, photo, sha256: lazyHash(data) });
    };
    for (let j = 0; j < this.opts.textFiles; j++) {
      const words: string[] = [`Statement ${batch}.${j}.`];
      const n = 30 + Math.floor(this.rand() * 3000);
      for (let k = 0; k < n; k++) words.push(WORDS[Math.floor(this.rand() * WORDS.length)]!);
      put(`statement-${j}.txt`, Buffer.from(words.join(' ') + '\n', 'utf8'), false);
    }
    if (this.opts.photos > 0) {
      put('scene.jpg', await cameraJpeg(800, 600, batch * 7919 + 1), true);
    }
    this.pictures.forEach((p, j) =>
      put(`injury-${j}.jpg`, withJpegComment(p, `kesi crash test ${batch}`), true),
    );
    for (const b of this.binaries) {
      // New leading bytes, written in place: new content for the store, still of no known type.
      const head = Buffer.alloc(32, ' ');
      head.write(`kesi crash ${batch} ${Math.floor(this.rand() * 1e9)}`);
      head.copy(b.data, 0);
      const fd = openSync(b.path, 'r+');
      writeSync(fd, head, 0, head.length, 0);
      closeSync(fd);
      out.push({
        path: b.path,
        name: basename(b.path),
        size: b.data.length,
        photo: false,
        sha256: lazyHash(b.data),
      });
    }
    // A new order every time, so that kills meet each kind of file at each point of the add.
    for (let i = out.length - 1; i > 0; i--) {
      const k = Math.floor(this.rand() * (i + 1));
      [out[i], out[k]] = [out[k]!, out[i]!];
    }
    return out;
  }
}

interface ChildEnd {
  killedBy: 'timer' | 'probe' | null;
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
  marks: { us: number; name: Marker; detail: string }[];
}

function runChild(
  args: string[],
  env: Record<string, string>,
  killAfterMs: number | null,
): Promise<ChildEnd> {
  const marksFile = env['KESI_CRASH_MARKS']!;
  writeFileSync(marksFile, '');
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    let timerFired = false;
    const timer =
      killAfterMs === null
        ? undefined
        : setTimeout(() => {
            timerFired = true;
            child.kill('SIGKILL');
          }, killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const marks = readFileSync(marksFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [us, name, detail] = l.split(' ');
          return { us: Number(us), name: name as Marker, detail: detail ?? '' };
        })
        .filter((m) => (MARKERS as readonly string[]).includes(m.name));
      const killedBy =
        signal !== 'SIGKILL' ? null : marks.some((m) => m.name === 'kill') ? 'probe' : 'timer';
      if (signal !== null && signal !== 'SIGKILL') {
        reject(new Error(`the child died of ${signal}:\n${stderr}`));
        return;
      }
      if (killedBy === 'timer' && !timerFired) {
        reject(new Error(`the child was killed by someone else:\n${stderr}`));
        return;
      }
      resolve({ killedBy, code, ms, stdout, stderr, marks });
    });
  });
}

function phaseOf(end: ChildEnd): Phase {
  const before = end.marks.filter((m) => m.name !== 'kill');
  const last = before[before.length - 1];
  return last ? PHASE_OF[last.name] : 'startup';
}

/** What the checks know about a vault between kills. */
class VaultState {
  /** Items already checked, with their blob files' size and modification time. */
  readonly checked = new Map<number, { uid: string; sha256: string; stamp: string[] }>();
  kills = 0;
  auditMs = 0;

  constructor(readonly dir: string) {}
}

/**
 * What identifies a stored file's bytes on disk. Not its mtime: writing identical content again
 * touches the existing file (so that the cleanup leaves it alone) without changing it.
 */
function stampOf(v: UnlockedVault, blobName: string): string {
  const path = v.blobs.pathOf(blobName);
  const st = statSync(path);
  const digest = createHash('sha256').update(readFileSync(path)).digest('hex');
  return `${blobName}:${st.ino}:${st.size}:${digest}`;
}

async function hashOfBlob(v: UnlockedVault, blobName: string, sha: string): Promise<string> {
  const h = createHash('sha256');
  await v.blobs.readVerified(blobName, sha, (c) => void h.update(c));
  return h.digest('hex');
}

interface CheckResult {
  svc: KesiService;
  added: ItemRecord[];
  report: AuditReport;
  unreferenced: number;
  tempFiles: number;
}

/**
 * Opens the vault and checks it after a kill; returns the open service (the caller locks it).
 * Throws with every problem found.
 */
async function checkVault(
  state: VaultState,
  caseRef: string,
  files: SourceFile[],
): Promise<CheckResult> {
  const problems: string[] = [];
  const svc = await openAs(state.dir, ADMIN, ADMIN_PASS);
  try {
    const v = svc.vault;
    // The audit covers the catalogue's integrity, every chain and signature, every item's
    // intake record, and every stored file; leftovers of interrupted writes are warnings.
    const t0 = Date.now();
    const report = await auditVault(v);
    state.auditMs += Date.now() - t0;
    for (const p of report.problems) {
      if (p.severity === 'error') problems.push(`audit: ${p.code}: ${p.message}`);
    }
    if (!report.ok && !problems.length) problems.push('audit: not ok, with no error listed');

    const byName = new Map(files.map((f) => [f.name, f]));
    const added: ItemRecord[] = [];
    let count = 0;
    for (const c of svc.listCases()) {
      for (const it of svc.listItems(c.ref)) {
        count++;
        const known = state.checked.get(it.id);
        const derivatives = v.catalogue.derivatives.listByItem(it.id);
        const blobs = [it.blobName!, ...derivatives.map((d) => d.blobName)];
        if (known) {
          // Checked after an earlier kill: its row and stored files must be exactly as they were.
          if (known.uid !== it.uid || known.sha256 !== it.sha256) {
            problems.push(`item ${it.id} changed after it was committed`);
          }
          const stamp = blobs.map((b) => stampOf(v, b));
          if (stamp.join() !== known.stamp.join()) {
            problems.push(`a stored file of item ${it.id} changed after it was committed`);
          }
          continue;
        }
        // New since the last kill: made from one of this add's files, derivatives as expected.
        const what = `item ${it.id} (${it.originalName}, case ${c.ref})`;
        const src = c.ref === caseRef ? byName.get(it.originalName ?? '') : undefined;
        if (!src) problems.push(`${what} is none of the files added to ${caseRef}`);
        else if (src.sha256() !== it.sha256 || src.size !== it.size) {
          problems.push(`${what} does not match the file ${src.name} it was made from`);
        }
        if (src) added.push(it);
        const expected = src?.photo ? ['page_image', 'thumbnail'] : [];
        const kinds = derivatives.map((d) => d.kind).sort();
        if (kinds.join() !== expected.join()) {
          problems.push(`${what} has derivatives [${kinds.join()}], not [${expected.join()}]`);
        }
        // Its stored files decrypt, authenticate and hash to what the catalogue says.
        try {
          if ((await hashOfBlob(v, it.blobName!, it.sha256)) !== it.sha256) {
            problems.push(`${what} reads back with another SHA-256`);
          }
          for (const d of derivatives) await hashOfBlob(v, d.blobName, d.sha256);
        } catch (e) {
          problems.push(`${what} does not read back: ${(e as Error).message}`);
        }
        const intake = svc.itemLog(it.id).filter((e) => e.action === 'intake');
        if (intake.length !== 1) {
          problems.push(`${what} has ${intake.length} intake events, not 1`);
        } else if (intake[0]!.details['sha256'] !== it.sha256 || intake[0]!.itemUid !== it.uid) {
          problems.push(`the intake event of ${what} records another item`);
        }
        if (!problems.length) {
          state.checked.set(it.id, {
            uid: it.uid,
            sha256: it.sha256,
            stamp: blobs.map((b) => stampOf(v, b)),
          });
        }
      }
    }
    if (count !== state.checked.size && !problems.length) {
      problems.push(`${state.checked.size - count} committed items disappeared`);
    }
    const referenced = new Set(v.catalogue.allBlobNames());
    const unreferenced = v.blobs.listNames().filter((n) => !referenced.has(n)).length;
    const tempFiles = v.blobs.staleTempFiles(0).length;
    if (problems.length) throw new Error(problems.join('\n'));
    return { svc, added, report, unreferenced, tempFiles };
  } catch (e) {
    // Closed without a word more in it: the vault is kept as the failure left it.
    lockVault(svc.vault);
    throw e;
  }
}

function emptyPhases(): Record<Phase, number> {
  return Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
}

/** Copies a vault that failed its checks out of the temp folder, which the test removes. */
function keepVault(dir: string, seed: number): string {
  const keep = join(tmpdir(), `kesi-crash-failed-${seed}-${Date.now()}`);
  try {
    cpSync(dir, keep, { recursive: true });
    return `The vault is kept in ${keep}.`;
  } catch (e) {
    return `The vault could not be kept: ${(e as Error).message}`;
  }
}

/** Runs the kills; throws at the first vault that fails a check, naming the seed and the kill. */
export async function runCrashSeries(options: CrashOptions): Promise<CrashReport> {
  const opts: Required<CrashOptions> = {
    iterations: options.iterations,
    seed: options.seed,
    killsPerVault: options.killsPerVault ?? 4,
    binaryMiB: options.binaryMiB ?? [34, 2],
    textFiles: options.textFiles ?? 5,
    photos: options.photos ?? 3,
    probeKillEvery: options.probeKillEvery ?? 5,
    log: options.log ?? (() => undefined),
  };
  const t0 = Date.now();
  const rand = prng(opts.seed);
  const work = tempDir('kesi-crash-');
  const probe = join(work, 'probe.cjs');
  writeFileSync(probe, PROBE_SOURCE);
  const workload = new Workload(join(work, 'files'), rand, opts);
  await workload.init();

  const report: CrashReport = {
    seed: opts.seed,
    iterations: opts.iterations,
    vaults: 0,
    seconds: 0,
    time: { children: 0, audits: 0, checks: 0, files: 0 },
    addSeconds: 0,
    filesPerAdd: 0,
    bytesPerAdd: 0,
    ends: { timer: 0, probe: 0, finished: 0 },
    phases: emptyPhases(),
    txKills: { kept: 0, rolledBack: 0, treeHead: 0 },
    itemsCommitted: 0,
    filesLost: 0,
    auditWarnings: {},
    unreferencedBlobs: 0,
    tempFiles: 0,
  };

  let state: VaultState | undefined;
  let svc: KesiService | undefined;
  let addMs = 0;
  let commitsPerAdd = 0;
  let caseNo = 0;

  const newCase = (s: KesiService) => {
    const ref = `CRASH-${++caseNo}`;
    s.createCase({ ref, title: `Crash test batch ${caseNo}`, county: 'Nairobi' });
    return ref;
  };

  /** Drops the vault (if any) and makes a new one. */
  const freshVault = async () => {
    if (state) rmSync(dirname(state.dir), { recursive: true, force: true });
    const made = await newVault();
    state = new VaultState(made.dir);
    report.vaults++;
    svc = made.service;
  };

  /** Before a vault is dropped: what its last check left as warnings. */
  const finishVault = (last: CheckResult | null) => {
    svc?.lock();
    if (!last) return;
    for (const p of last.report.problems) {
      report.auditWarnings[p.code] = (report.auditWarnings[p.code] ?? 0) + 1;
    }
    report.unreferencedBlobs += last.unreferenced;
    report.tempFiles += last.tempFiles;
  };

  let last: CheckResult | null = null;
  // Adds before the first kill run to their end: they show that a whole add works, and the
  // second (with warm caches) measures it.
  const warmups = 2;
  for (let i = 1 - warmups; i <= opts.iterations; i++) {
    if (!state || (i > 1 && state.kills >= opts.killsPerVault)) {
      finishVault(last);
      await freshVault();
    }
    const caseRef = newCase(svc!);
    svc!.lock();
    let t = Date.now();
    const files = await workload.files(i + warmups);
    report.time.files += (Date.now() - t) / 1000;
    const marks = join(work, 'marks.txt');
    const env: Record<string, string> = {
      KESI_VAULT: state!.dir,
      KESI_USER: ADMIN,
      KESI_PASSPHRASE: ADMIN_PASS,
      KESI_CRASH_MARKS: marks,
      KESI_CRASH_ROOT: ROOT,
    };
    let killAfter: number | null = null;
    let plan = 'no kill (measuring)';
    if (i > 0) {
      if (i % opts.probeKillEvery === 0) {
        // Every other one inside the transaction before COMMIT (at least 0.6 ms here), the
        // others during COMMIT (its fsync alone takes 0.5 ms or more).
        const on = (i / opts.probeKillEvery) % 2 === 0 ? 'begin' : 'commit';
        const n = 1 + Math.floor(rand() * commitsPerAdd);
        const us = Math.floor(rand() * 500);
        env['KESI_CRASH_KILL_TX'] = String(n);
        env['KESI_CRASH_KILL_ON'] = on;
        env['KESI_CRASH_KILL_DELAY_US'] = String(us);
        plan = `kill ${us} µs after ${on === 'begin' ? 'BEGIN' : 'COMMIT'} ${n} starts`;
      } else {
        killAfter = Math.floor(rand() * addMs);
        plan = `kill after ${killAfter} ms`;
      }
    }
    const args = ['-r', probe, KESI_BIN, 'add', caseRef, ...files.map((f) => f.path)];
    const end = await runChild([...args, '--force', '--json'], env, killAfter);
    report.time.children += end.ms / 1000;
    const phase = end.killedBy ? phaseOf(end) : null;
    const where = `seed ${opts.seed}, add ${i}: ${plan}, ${end.killedBy ? `died in ${phase}` : 'finished'} after ${end.ms.toFixed(0)} ms`;
    if (end.killedBy === null) {
      if (end.code !== 0) throw new Error(`${where}: exit code ${end.code}\n${end.stderr}`);
      const results = JSON.parse(end.stdout) as { status: string }[];
      if (results.length !== files.length || results.some((r) => r.status !== 'added')) {
        throw new Error(`${where}: not every file was added:\n${end.stdout}`);
      }
    }
    t = Date.now();
    const auditMs = state!.auditMs;
    try {
      last = await checkVault(state!, caseRef, files);
      // Durability: every file whose COMMIT returned is there; none whose COMMIT never began.
      // (One transaction per file, in order; the last one records the tree head.)
      const returned = Math.min(
        files.length,
        end.marks.filter((m) => m.name === 'committed').length,
      );
      const begun = Math.min(files.length, end.marks.filter((m) => m.name === 'commit').length);
      if (last.added.length < returned || last.added.length > begun) {
        lockVault(last.svc.vault);
        throw new Error(
          `${last.added.length} items committed, but ${returned} COMMITs returned and ${begun} began`,
        );
      }
    } catch (e) {
      const steps = end.marks
        .slice(-8)
        .map((m) => `${m.name}${m.detail ? ` ${m.detail}` : ''} at ${(m.us / 1000).toFixed(1)} ms`);
      throw new Error(
        `${where}:\n${(e as Error).message}\nThe child's last steps: ${steps.join(', ')}.\n` +
          keepVault(state!.dir, opts.seed),
      );
    }
    report.time.audits += (state!.auditMs - auditMs) / 1000;
    report.time.checks += (Date.now() - t - (state!.auditMs - auditMs)) / 1000;
    svc = last.svc;
    if (i <= 0) {
      addMs = end.ms;
      commitsPerAdd = end.marks.filter((m) => m.name === 'commit').length;
      report.addSeconds = end.ms / 1000;
      report.filesPerAdd = files.length;
      report.bytesPerAdd = files.reduce((n, f) => n + f.size, 0);
      opts.log(
        `seed ${opts.seed}: an add of ${files.length} files (${(report.bytesPerAdd / 2 ** 20).toFixed(1)} MiB) takes ${end.ms.toFixed(0)} ms, ${commitsPerAdd} commits`,
      );
      continue;
    }
    state!.kills++;
    report.itemsCommitted += last.added.length;
    if (end.killedBy) {
      report.ends[end.killedBy]++;
      report.phases[phase!]++;
      report.filesLost += files.length - last.added.length;
      if (end.killedBy === 'probe') {
        // Was the interrupted transaction kept? One per file; the last is the tree head's.
        const n = Number(env['KESI_CRASH_KILL_TX']);
        if (n > files.length) report.txKills.treeHead++;
        else if (last.added.length >= n) report.txKills.kept++;
        else report.txKills.rolledBack++;
      }
    } else {
      report.ends.finished++;
      // The add ran faster than measured (the machine got quieter): follow it.
      addMs = (addMs + end.ms) / 2;
    }
    opts.log(
      `${where}: ${last.added.length}/${files.length} committed; checked in ${Date.now() - t} ms (audit ${state!.auditMs - auditMs} ms)`,
    );
  }
  finishVault(last);
  report.seconds = (Date.now() - t0) / 1000;
  report.addSeconds = addMs / 1000;
  for (const k of Object.keys(report.time) as (keyof CrashReport['time'])[]) {
    report.time[k] = Math.round(report.time[k] * 10) / 10;
  }
  return report;
}

/** The report as Markdown, for the bench and for failures. */
export function crashSummary(r: CrashReport): string {
  const lines = [
    `${r.iterations} kills (seed ${r.seed}) in ${r.seconds.toFixed(1)} s over ${r.vaults} vaults ` +
      `(children ${r.time.children} s, audits ${r.time.audits} s, other checks ${r.time.checks} s, ` +
      `making files ${r.time.files} s); ` +
      `an uninterrupted add of ${r.filesPerAdd} files, ${(r.bytesPerAdd / 2 ** 20).toFixed(1)} MiB, takes ${r.addSeconds.toFixed(2)} s`,
    '',
    '| where the kill landed | kills |',
    '| --- | --- |',
    ...PHASES.map((p) => `| ${p} | ${r.phases[p]} |`),
    `| (the add finished before the timer) | ${r.ends.finished} |`,
    '',
    `Killed by the timer: ${r.ends.timer}; by the probe, in a transaction or its COMMIT: ${r.ends.probe} ` +
      `(its item kept: ${r.txKills.kept}, rolled back: ${r.txKills.rolledBack}; ` +
      `the final tree head's: ${r.txKills.treeHead}). Items committed: ${r.itemsCommitted}; ` +
      `files of killed adds not committed: ${r.filesLost}.`,
    `Leftovers at the end of each vault: ${r.unreferencedBlobs} unreferenced blobs, ` +
      `${r.tempFiles} temp files; audit warnings: ${JSON.stringify(r.auditWarnings)}.`,
  ];
  return lines.join('\n');
}
