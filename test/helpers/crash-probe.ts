// The probe loaded (`node -r`) into the `kesi add` child of the crash test. It leaves the
// command's behaviour alone: it appends one line per step of the add to a marker file, so that
// after a SIGKILL the test knows where the process died (the page cache keeps what was written),
// and, when asked, it kills the process from a second thread a set number of microseconds after
// its Nth transaction began or started to commit, where a kill timed from outside almost never
// lands (a transaction takes a few milliseconds of a one-second add).
//
// Markers (one per line: microseconds since boot, name, detail):
//   boot          the process started; the CLI loads, unlocks the vault
//   read          a source file is opened: reading, sniffing, decoding, making derivatives
//   blob          a blob's temp file is opened: hashing, encrypting, writing
//   flush         a periodic background flush of a large blob starts
//   fsync         the blob's final fsync starts
//   rename        the blob is renamed into place
//   placed        the rename returned
//   dedupe        the content was already stored; the temp file is being removed
//   begin         a catalogue transaction starts (BEGIN)
//   commit        COMMIT starts (detail: its number in this process; begin is numbered too)
//   committed     COMMIT returned
//   rollback      ROLLBACK
//   close         the catalogue is being closed (WAL checkpoint)
//   closed        it is closed
//   exit          the process exits normally
//   kill          the probe's own killer thread fires (only when asked to)
// A kill does not undo what the process wrote (the page cache keeps it; a power cut is another
// matter): a COMMIT that has written its WAL frames is kept, even if its fsync never returned.
// Environment: KESI_CRASH_MARKS (marker file), KESI_CRASH_ROOT (the repository, to find the
// SQLite module the CLI uses), KESI_VAULT, and optionally KESI_CRASH_KILL_TX (N),
// KESI_CRASH_KILL_ON (begin or commit) and KESI_CRASH_KILL_DELAY_US (the delay after it).

export const MARKERS = [
  'boot',
  'read',
  'blob',
  'flush',
  'fsync',
  'rename',
  'placed',
  'dedupe',
  'begin',
  'commit',
  'committed',
  'rollback',
  'close',
  'closed',
  'exit',
  'kill',
] as const;
export type Marker = (typeof MARKERS)[number];

/** CommonJS source of the probe, written to a file and given to `node -r`. */
export const PROBE_SOURCE = String.raw`'use strict';
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const { createRequire } = require('node:module');
const { isMainThread } = require('node:worker_threads');
// Worker threads get the preload too; the probe watches the main thread only.
if (!isMainThread) return;

const env = process.env;
const t0 = process.hrtime.bigint();
const marksFile = env.KESI_CRASH_MARKS;
const fd = fs.openSync(marksFile, 'a');
const mark = (name, detail) => {
  const us = Number((process.hrtime.bigint() - t0) / 1000n);
  fs.writeSync(fd, us + ' ' + name + (detail === undefined ? '' : ' ' + detail) + '\n');
};
mark('boot');

const vault = path.resolve(env.KESI_VAULT || '.');
const tmpDir = path.join(vault, 'blobs', '.tmp') + path.sep;
const inTmp = (p) => typeof p === 'string' && p.startsWith(tmpDir);
const inVault = (p) => typeof p === 'string' && p.startsWith(vault + path.sep);

const open = fsp.open;
fsp.open = async function (p, flags, mode) {
  const blob = inTmp(p);
  if (blob) mark('blob');
  else if (!inVault(p) && (flags === undefined || flags === 'r')) mark('read');
  const fh = await open.call(this, p, flags, mode);
  if (blob) {
    const { datasync, sync } = fh;
    fh.datasync = function () {
      mark('flush');
      return datasync.call(this);
    };
    fh.sync = function () {
      mark('fsync');
      return sync.call(this);
    };
  }
  return fh;
};
const rename = fsp.rename;
fsp.rename = async function (from, to) {
  const blob = inTmp(from);
  if (blob) mark('rename');
  const r = await rename.call(this, from, to);
  if (blob) mark('placed');
  return r;
};
const unlink = fsp.unlink;
fsp.unlink = function (p) {
  if (inTmp(p)) mark('dedupe');
  return unlink.call(this, p);
};

// The killer thread sleeps until the transaction before the target one has committed (a wake-up
// can take longer than a whole transaction), then spins until the target BEGIN or COMMIT starts,
// waits the delay, and kills.
let stage = () => undefined;
const killAt = Number(env.KESI_CRASH_KILL_TX || 0);
const killOn = env.KESI_CRASH_KILL_ON === 'begin' ? 'begin' : 'commit';
if (killAt > 0) {
  const { Worker } = require('node:worker_threads');
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const killer = new Worker(
    [
      "const { workerData } = require('node:worker_threads');",
      "const fs = require('node:fs');",
      'const { flag, delayUs, marksFile, t0 } = workerData;',
      "const fd = fs.openSync(marksFile, 'a');",
      "while (Atomics.wait(flag, 0, 0, 200) === 'timed-out') {}",
      'while (Atomics.load(flag, 0) < 2) {}',
      'const end = process.hrtime.bigint() + BigInt(delayUs) * 1000n;',
      'while (process.hrtime.bigint() < end) {}',
      "fs.writeSync(fd, Number((process.hrtime.bigint() - t0) / 1000n) + ' kill\\n');",
      "process.kill(process.pid, 'SIGKILL');",
    ].join('\n'),
    {
      eval: true,
      workerData: { flag, delayUs: Number(env.KESI_CRASH_KILL_DELAY_US || 0), marksFile, t0 },
    },
  );
  killer.unref();
  stage = (n) => {
    Atomics.store(flag, 0, n);
    Atomics.notify(flag, 0);
  };
  if (killAt === 1) stage(1);
}

const req = createRequire(path.join(env.KESI_CRASH_ROOT, 'package.json'));
const Database = req('better-sqlite3-multiple-ciphers');
const probeDb = new Database(':memory:');
const Statement = Object.getPrototypeOf(probeDb.prepare('SELECT 1'));
probeDb.close();
const run = Statement.run;
let begins = 0;
let commits = 0;
Statement.run = function (...args) {
  const src = this.source;
  if (src === 'COMMIT') {
    commits += 1;
    mark('commit', commits);
    if (killOn === 'commit' && commits === killAt) stage(2);
    const r = run.apply(this, args);
    mark('committed', commits);
    if (commits === killAt - 1) stage(1);
    return r;
  }
  if (src.startsWith('BEGIN')) {
    begins += 1;
    mark('begin', begins);
    if (killOn === 'begin' && begins === killAt) stage(2);
  } else if (src === 'ROLLBACK') {
    mark('rollback');
  }
  return run.apply(this, args);
};
const close = Database.prototype.close;
Database.prototype.close = function () {
  mark('close');
  const r = close.call(this);
  mark('closed');
  return r;
};
process.on('exit', () => mark('exit'));
`;
