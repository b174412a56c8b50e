// Messages between the main thread (run.ts) and the bundle worker (worker.ts).
import type { KesiErrorData } from '../../shared/errors';
import type { BundleManifest } from './manifest';
import type { SignatureDetails, SigningIdentity } from './sign';
import type { BundleExhibit, BundleInput, BundleProgress } from './types';

/** An exhibit's content with its bytes left behind in the main thread, fetched on demand. */
export type WireContent =
  | { type: 'pdf'; load: number }
  | { type: 'docx'; load: number }
  | { type: 'image'; load: number; width: number; height: number; pageImageSha256?: string }
  | { type: 'text'; text: string }
  | { type: 'placeholder' };

export type WireExhibit = Omit<BundleExhibit, 'content'> & { content: WireContent };

export type WireInput = Omit<BundleInput, 'exhibits'> & { exhibits: WireExhibit[] };

export interface StartMessage {
  type: 'start';
  input: WireInput;
  generatedAt: string;
  sign: { identity: SigningIdentity; signature: Omit<SignatureDetails, 'signingTime'> } | null;
}

export type ToWorker =
  | StartMessage
  | { type: 'bytes'; load: number; bytes: Uint8Array }
  | { type: 'bytes-error'; load: number; error: KesiErrorData }
  | { type: 'cancel' };

export type FromWorker =
  | { type: 'load'; load: number }
  | { type: 'progress'; progress: BundleProgress }
  | { type: 'done'; pdf: Uint8Array; manifest: BundleManifest }
  | { type: 'error'; error: KesiErrorData };
