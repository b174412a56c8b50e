// The one API between the renderer and the privileged side (DESIGN.md, "One contract, two
// transports"). Each method names the zod schema of its positional arguments and the type of its
// result. From this table come:
// - `KesiApi`, the type of `window.kesi` (the preload's proxy, the end-to-end test bridge);
// - the IPC channels `kesi:<method>`, one handler each (electron/ipc.ts);
// - the parsing of every argument in the main process before the service sees it
//   (electron/app/dispatch.ts), and a compile-time check that each service method returns what
//   the contract promises.
// Pure TypeScript (zod only). Result types are written here, not imported from electron/: this
// layer imports nothing of its users, and the dispatcher proves the two agree.
import { z } from 'zod';
import { BundleDate, BundleSpec } from './bundle-spec';
import type {
  BundleProblem,
  BundleVerifyReport,
  CheckStatus,
  ExhibitVerdict,
} from './bundle-report';
import type { Case, Item, Person, Role } from './domain';
import { CaseRef, UserName } from './domain';
import type { KesiErrorData } from './errors';
import {
  AddFilesInput,
  CaseFilter,
  CaseInput,
  CasePatch,
  ExhibitInput,
  ItemPatchInput,
  NewUserInput,
  PersonInput,
  TransferInput,
} from './inputs';

// ---- result types ------------------------------------------------------------------------------

/** The vault folder the app is configured for, before anyone signs in. */
export interface VaultStatus {
  /** The vault folder. */
  dir: string;
  /** A vault (vault.json) exists there. */
  exists: boolean;
  name: string | null;
  vaultId: string | null;
  /** Current users, for the unlock screen's user list. */
  users: { name: string; role: Role }[];
  /** Someone is signed in. */
  unlocked: boolean;
  /** Idle minutes before the app locks itself. */
  autoLockMinutes: number;
}

export interface WhoAmI {
  name: string;
  role: Role;
  keyId: string;
  vaultName: string;
  vaultId: string;
}

export interface CreatedVaultView {
  /** The recovery key (AGE-SECRET-KEY-1…): shown once, for printing; never stored. */
  recoveryKey: string;
  /** The administrator, signed in. */
  user: WhoAmI;
}

export interface UserView {
  id: number;
  name: string;
  role: Role;
  keyId: string;
  publicKey: string;
  createdAt: string;
  removedAt: string | null;
}

export type CaseView = Case & { uid: string; createdBy: number };

/** Which previews (derivatives made at intake) an item has, so the UI asks only for those. */
export interface ItemPreviews {
  thumbnail: boolean;
  page: boolean;
}

export type ItemView = Item & { uid: string; previews: ItemPreviews };

/** The app's languages (i18next resources in renderer/src/i18n). */
export const LANGUAGES = ['en', 'sw'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The app's own settings, kept on this computer (not in the vault). */
export interface AppSettingsView {
  language: Language;
  autoLockMinutes: number;
}

/** A person as the service shows them: a protected person's real name is withheld. */
export type PersonView = Omit<Person, 'fullName'> & {
  fullName: string | null;
  displayName: string;
};

export type RevealedPersonView = PersonView & { fullName: string };

export interface CustodianView {
  name: string;
  organisation: string | null;
  place: string | null;
  seal: string | null;
  since: string;
}

/** A signed custody event (docs/CUSTODY.md). `details` is JSON. */
export interface CustodyEventView {
  v: 1;
  chain: string;
  seq: number;
  prev: string | null;
  action: string;
  caseUid: string | null;
  itemUid: string | null;
  actor: { user: string; keyId: string };
  at: string;
  place: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  app: string;
  hash: string;
  sig: string;
}

/** The outcome of one file of a batch intake. */
export interface AddFileResultView {
  file: string;
  status: 'added' | 'duplicate' | 'error';
  itemId?: number;
  sha256?: string;
  error?: KesiErrorData;
}

export interface SearchHitView {
  type: 'case' | 'person' | 'item';
  id: number;
  caseId: number;
  caseRef: string;
  title: string;
  snippet: string;
}

export interface AuditProblemView {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  itemId?: number;
  caseRef?: string;
  chain?: string;
  seq?: number;
  blobName?: string;
  path?: string;
}

export interface AuditReportView {
  ok: boolean;
  vaultId: string;
  vaultName?: string;
  startedAt: string;
  finishedAt: string;
  counts: {
    chains: number;
    events: number;
    items: number;
    derivatives: number;
    blobs: number;
    bytesChecked: number;
  };
  problems: AuditProblemView[];
}

/** A stored bundle: its spec, and the SHA-256 of the PDF last generated from it. */
export interface BundleView {
  uid: string;
  caseRef: string;
  title: string;
  spec: BundleSpec;
  createdAt: string;
  /** User name. */
  createdBy: string;
  lastGeneratedAt: string | null;
  lastSha256: string | null;
}

/**
 * A bundle PDF written to disk, whole. Each exhibit's pages are in the case log's export events
 * of this file (`details.bundleSha256`, `exhibitNumber`, `firstPage`, `lastPage`).
 */
export interface GeneratedBundleView {
  path: string;
  sha256: string;
  pages: number;
  bytes: number;
  generatedAt: string;
}

export type BundleCheckStatus = CheckStatus;

/** A problem `kesi verify` found in a bundle (codes in docs/VERIFY.md). */
export type BundleProblemView = BundleProblem;

/** One exhibit of a verified bundle: its pages, its custody events, and its verdict. */
export type ExhibitVerdictView = ExhibitVerdict;

/**
 * A bundle PDF verified on its own (electron/verify/bundle-verify.ts), and against the open vault
 * when that was asked for (`vault`), with the path of the file that was verified.
 */
export type BundleVerifyView = BundleVerifyReport & { path: string };

/** A file written where the user chose. */
export interface SavedFileView {
  path: string;
  sha256: string;
  size: number;
}

// ---- argument schemas only the contract needs --------------------------------------------------

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** Long enough for any real passphrase, short enough that nobody feeds megabytes to scrypt. */
const Passphrase = z.string().min(1).max(1024);
const Reason = z.string().trim().min(1, 'Say why.').max(1000);

/** An absolute path on Windows, macOS or Linux (drag-and-drop gives nothing else). */
const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;

export const CreateVaultArgs = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    admin: UserName,
    passphrase: Passphrase,
    escrowRecipient: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const VerifyBundleOptions = z.object({ againstVault: z.boolean().optional() }).strict();

export const UnlockArgs = z.object({ user: UserName, passphrase: Passphrase }).strict();

export const RecoveryArgs = z
  .object({
    user: UserName,
    recoveryKey: z.string().trim().min(1).max(200),
    newPassphrase: Passphrase,
  })
  .strict();

/** Auto-lock after 1 minute to 8 hours of idleness. */
export const AutoLockMinutes = z.number().int().min(1).max(480);

export const AppAddFilesInput = AddFilesInput.refine(
  (input) => input.paths.every((p) => ABSOLUTE_PATH.test(p)),
  { message: 'Files are given by their full path.', path: ['paths'] },
);

/** A file given by its full path (a dropped file, a path main chose with a dialog). */
export const AbsolutePath = z
  .string()
  .min(2)
  .max(4096)
  .refine((p) => ABSOLUTE_PATH.test(p) && !p.includes('\0'), 'Files are given by their full path.');

/** The renderer's name for one long job (an intake, a bundle, an audit); see ProgressEvent. */
export const JobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a job id');

const BundleUid = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'not a bundle id');

/** Cover details for a first bundle spec (defaultBundleSpec in shared/bundle-spec.ts). */
export const BundleCoverInput = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    court: z.string().trim().min(1).max(200),
    caseNumber: z.string().trim().min(1).max(120),
    parties: z.string().trim().min(1).max(400),
    preparedBy: z.string().trim().min(1).max(300),
    date: BundleDate,
    usePseudonyms: z.boolean().optional(),
    exhibitPrefix: z.string().min(1).max(20).optional(),
  })
  .strict();

export const GenerateBundleOptions = z
  .object({
    /** The generation time (ISO UTC); default now. The same time gives the same bytes. */
    at: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

/** A suggested file name for a save dialog: a name, not a path. */
const FileName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^/\\:*?"<>|\0]+$/, 'a file name without folders');

// ---- the contract ------------------------------------------------------------------------------

/** The result type of a method, carried by the type system only; `description` is for people. */
export interface Returns<T> {
  readonly description: string;
  /** Never set: holds T for the type checker. */
  readonly _result?: () => T;
}

function returns<T>(description: string): Returns<T> {
  return { description };
}

export interface MethodSpec<A extends z.ZodTuple = z.ZodTuple, R = unknown> {
  args: A;
  result: Returns<R>;
}

const none = () => z.tuple([]);

export const contract = {
  // session
  vaultStatus: {
    args: none(),
    result: returns<VaultStatus>('whether a vault exists in the configured folder, and its users'),
  },
  createVault: {
    args: z.tuple([CreateVaultArgs]),
    result: returns<CreatedVaultView>('the new vault, its admin signed in, the recovery key once'),
  },
  unlock: {
    args: z.tuple([UnlockArgs]),
    result: returns<WhoAmI>('the signed-in user'),
  },
  unlockWithRecoveryKey: {
    args: z.tuple([RecoveryArgs]),
    result: returns<WhoAmI>('the user, signed in with their new passphrase and a new key'),
  },
  lock: {
    args: none(),
    result: returns<void>('nothing: the keys are gone from memory'),
  },
  whoami: {
    args: none(),
    result: returns<WhoAmI>('the signed-in user (VAULT_LOCKED when nobody is)'),
  },
  setAutoLock: {
    args: z.tuple([AutoLockMinutes]),
    result: returns<VaultStatus>('the status with the new idle time'),
  },
  getSettings: {
    args: none(),
    result: returns<AppSettingsView>("the app's language and idle time (also while locked)"),
  },
  setLanguage: {
    args: z.tuple([z.enum(LANGUAGES)]),
    result: returns<AppSettingsView>('the settings with the new language, kept for next time'),
  },
  // users
  listUsers: {
    args: none(),
    result: returns<UserView[]>('every user, removed ones included'),
  },
  addUser: {
    args: z.tuple([NewUserInput]),
    result: returns<UserView>('the new user'),
  },
  changePassphrase: {
    args: z.tuple([UserName, Passphrase]),
    result: returns<void>('nothing'),
  },
  removeUser: {
    args: z.tuple([UserName]),
    result: returns<void>('nothing'),
  },
  // cases
  listCases: {
    args: z.tuple([CaseFilter.optional()]),
    result: returns<Case[]>('the cases matching the filter'),
  },
  getCase: {
    args: z.tuple([CaseRef]),
    result: returns<CaseView>('the case'),
  },
  createCase: {
    args: z.tuple([CaseInput]),
    result: returns<CaseView>('the new case'),
  },
  updateCase: {
    args: z.tuple([CaseRef, CasePatch]),
    result: returns<CaseView>('the case as changed'),
  },
  // persons
  listPersons: {
    args: z.tuple([CaseRef]),
    result: returns<PersonView[]>("a case's persons, protected names withheld"),
  },
  addPerson: {
    args: z.tuple([CaseRef, PersonInput]),
    result: returns<PersonView>('the new person'),
  },
  revealPerson: {
    args: z.tuple([Id, Reason]),
    result: returns<RevealedPersonView>("a protected person's real name (logged as a view)"),
  },
  // items
  listItems: {
    args: z.tuple([CaseRef]),
    result: returns<ItemView[]>("a case's items"),
  },
  getItem: {
    args: z.tuple([Id]),
    result: returns<ItemView>('the item'),
  },
  exportItem: {
    args: z.tuple([Id, AbsolutePath, Reason.optional()]),
    result: returns<SavedFileView>(
      "an item's original, decrypted and checked, at a path chooseSavePath gave; logged as an export",
    ),
  },
  addFiles: {
    args: z.tuple([AppAddFilesInput, JobId.optional()]),
    result: returns<AddFileResultView[]>(
      'one result per file; the batch goes on after an error; progress under the job id',
    ),
  },
  updateItem: {
    args: z.tuple([Id, ItemPatchInput]),
    result: returns<ItemView>('the item as changed'),
  },
  transfer: {
    args: z.tuple([Id, TransferInput]),
    result: returns<CustodyEventView>('the transfer event'),
  },
  addExhibit: {
    args: z.tuple([CaseRef, ExhibitInput]),
    result: returns<ItemView>('the new physical exhibit'),
  },
  currentCustodian: {
    args: z.tuple([Id]),
    result: returns<CustodianView>('who holds the item now'),
  },
  itemLog: {
    args: z.tuple([Id]),
    result: returns<CustodyEventView[]>("an item's custody events, oldest first"),
  },
  caseLog: {
    args: z.tuple([CaseRef]),
    result: returns<CustodyEventView[]>("a case's custody chain, oldest first"),
  },
  vaultLog: {
    args: none(),
    result: returns<CustodyEventView[]>('the vault chain, oldest first'),
  },
  // search and audit
  search: {
    args: z.tuple([z.string().trim().min(1).max(500), CaseRef.optional()]),
    result: returns<SearchHitView[]>('matches across cases (or in one case)'),
  },
  audit: {
    args: z.tuple([JobId.optional()]),
    result: returns<AuditReportView>('the vault audit, recorded as a signed verify event'),
  },
  exportAuditReport: {
    args: z.tuple([AbsolutePath]),
    result: returns<SavedFileView>('the last audit report as a PDF, at a path chooseSavePath gave'),
  },
  verifyBundle: {
    args: z.tuple([AbsolutePath, VerifyBundleOptions.optional()]),
    result: returns<BundleVerifyView>(
      'a bundle PDF checked on its own, or also against the open vault (hashes, regenerated bytes)',
    ),
  },
  // bundles
  listBundles: {
    args: z.tuple([CaseRef]),
    result: returns<BundleView[]>("a case's stored bundles, oldest first"),
  },
  getBundle: {
    args: z.tuple([BundleUid]),
    result: returns<BundleView>('the bundle'),
  },
  defaultBundleSpec: {
    args: z.tuple([CaseRef, BundleCoverInput]),
    result: returns<BundleSpec>("a first spec: the case's items in sections by kind"),
  },
  saveBundle: {
    args: z.tuple([BundleSpec, BundleUid.optional()]),
    result: returns<BundleView>('the bundle stored (a new one, or the one with this uid)'),
  },
  generateBundle: {
    args: z.tuple([BundleUid, AbsolutePath, GenerateBundleOptions.optional(), JobId.optional()]),
    result: returns<GeneratedBundleView>('the signed PDF, at a path chooseSavePath gave'),
  },
  // long work and the desktop
  cancelJob: {
    args: z.tuple([JobId]),
    result: returns<boolean>('true if a job of this window was running and is now told to stop'),
  },
  chooseSavePath: {
    args: z.tuple([FileName]),
    result: returns<string | null>('a path the user chose in a save dialog, or null'),
  },
  openPath: {
    args: z.tuple([AbsolutePath]),
    result: returns<void>('a file Kesi wrote in this session, opened in its usual program'),
  },
} as const satisfies Record<string, MethodSpec>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;

/** The arguments a caller passes (zod input: defaults may be left out). */
export type ArgsOf<M extends MethodName> = z.input<Contract[M]['args']>;
/** The arguments after parsing (zod output: defaults filled in). */
export type ParsedArgsOf<M extends MethodName> = z.output<Contract[M]['args']>;
export type ResultOf<M extends MethodName> =
  Contract[M]['result'] extends Returns<infer R> ? R : never;

/** `window.kesi`: one async function per contract method; errors are thrown, not returned. */
export type KesiApi = { [M in MethodName]: (...args: ArgsOf<M>) => Promise<ResultOf<M>> };

export const METHOD_NAMES = Object.freeze(Object.keys(contract)) as readonly MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Method names are plain identifiers: safe in channel names and command-line arguments. */
export const METHOD_NAME_PATTERN = /^[a-z][A-Za-z0-9]{0,63}$/;

export const CHANNEL_PREFIX = 'kesi:';

export function channelOf(method: MethodName): string {
  return `${CHANNEL_PREFIX}${method}`;
}

// ---- evidence bytes ----------------------------------------------------------------------------

/**
 * Evidence bytes reach the renderer only through this protocol, decrypted on the fly in main:
 *   kesi-media://item/<id>/original    the original (checked against its SHA-256; logged as a view)
 *   kesi-media://item/<id>/thumbnail   the list thumbnail (a derivative; not logged)
 *   kesi-media://item/<id>/page[/<n>]  the page-ready image (page n of a multi-page item)
 * Errors come back with an HTTP status and a JSON body `{ code, message }`.
 */
export const MEDIA_SCHEME = 'kesi-media';
export const MEDIA_KINDS = ['original', 'thumbnail', 'page'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export function mediaUrl(itemId: number, kind: MediaKind = 'original', page?: number): string {
  const tail = kind === 'page' && page !== undefined ? `/${page}` : '';
  return `${MEDIA_SCHEME}://item/${itemId}/${kind}${tail}`;
}

// ---- long work: progress and cancel ------------------------------------------------------------

/**
 * Long work (an intake, a bundle, an audit) runs under a job id the renderer chooses and passes
 * as the method's last argument. While it runs, main pushes ProgressEvents to the window that
 * asked, on PROGRESS_CHANNEL, at most about 20 a second (the last one always); `cancelJob(id)`
 * stops it, and the call then fails with CANCELLED (an intake returns what it finished).
 */
export const JOB_KINDS = ['intake', 'bundle', 'audit'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export interface ProgressEvent {
  jobId: string;
  kind: JobKind;
  /** Steps done of total (files, exhibits, audit steps). */
  done: number;
  total: number;
  bytesDone?: number;
  bytesTotal?: number;
  /** The file being worked on (an intake). */
  file?: string;
  /** What is being done now, e.g. "exhibits", "blobs". */
  phase?: string;
}

/** Not a method: `progress` is no contract method name, so no handler answers on it. */
export const PROGRESS_CHANNEL = `${CHANNEL_PREFIX}progress`;

/** The part of a dropped File the host reads (shared has no DOM types). */
export interface DroppedFile {
  readonly name: string;
}

/** `window.kesiHost`: what the page needs of its host besides the contract. */
export interface KesiHost {
  /** The address of an item's bytes (kesi-media:// in the app). */
  mediaUrl(itemId: number, kind: MediaKind, page?: number): string;
  /** The full path of a dropped or picked file; null when it has none (e.g. made in the page). */
  pathForFile(file: DroppedFile): string | null;
  /** Calls `listener` with each progress event; returns a function that stops it. */
  onProgress(listener: (e: ProgressEvent) => void): () => void;
}
