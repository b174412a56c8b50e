// Domain vocabulary shared by the service, the CLI and the UI. Pure TypeScript (zod only).
import { z } from 'zod';

export const ROLES = ['admin', 'investigator', 'lawyer', 'auditor'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const CASE_STATUSES = ['open', 'closed', 'archived'] as const;
export const CaseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const PERSON_ROLES = [
  'survivor',
  'witness',
  'suspect_officer',
  'medical_officer',
  'next_of_kin',
] as const;
export const PersonRole = z.enum(PERSON_ROLES);
export type PersonRole = z.infer<typeof PersonRole>;

export const ITEM_KINDS = [
  'statement',
  'medical_report',
  'photo',
  'document',
  'audio',
  'video',
  'physical_exhibit',
  'other',
] as const;
export const ItemKind = z.enum(ITEM_KINDS);
export type ItemKind = z.infer<typeof ItemKind>;

export const MEDICAL_SUBTYPES = ['p3', 'prc', 'post_mortem', 'treatment_notes', 'other'] as const;
export const MedicalSubtype = z.enum(MEDICAL_SUBTYPES);
export type MedicalSubtype = z.infer<typeof MedicalSubtype>;

/** Lower-case hex SHA-256. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 hex digits');

/** A user name: what people type at the unlock screen and on the command line. */
export const UserName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}._-]+$/u, 'letters, digits, dot, dash and underscore only');

/** A case reference such as "IMLU-2026-014". */
export const CaseRef = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._/-]*$/u, 'letters, digits, dot, dash, slash and underscore');

export interface User {
  id: number;
  name: string;
  role: Role;
  keyId: string;
  publicKey: string; // base64 raw Ed25519 public key
  createdAt: string; // ISO UTC
  removedAt: string | null;
}

export interface Case {
  id: number;
  ref: string;
  title: string;
  obNumber: string | null;
  policeStation: string | null;
  county: string | null;
  incidentDate: string | null; // YYYY-MM-DD
  court: string | null;
  courtCaseNumber: string | null;
  status: CaseStatus;
  accountableOfficer: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Person {
  id: number;
  caseId: number;
  role: PersonRole;
  fullName: string;
  pseudonym: string | null;
  protected: boolean;
  minor: boolean;
  serviceNumber: string | null;
  contact: string | null;
  createdAt: string;
}

export interface Item {
  id: number;
  caseId: number;
  kind: ItemKind;
  subtype: MedicalSubtype | null;
  title: string;
  description: string | null;
  exhibitNumber: string | null;
  capturedAt: string | null;
  capturedBy: string | null;
  source: string | null;
  originalName: string | null;
  size: number;
  mediaType: string;
  sha256: string;
  blobName: string | null; // null for physical exhibits
  metadata: Record<string, unknown>;
  parentId: number | null;
  createdAt: string;
  createdBy: number;
}
