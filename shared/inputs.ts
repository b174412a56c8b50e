// zod schemas of what callers send to the service. The IPC layer parses every argument with these
// before the service sees it; the CLI builds them from its flags.
import { z } from 'zod';
import {
  CaseRef,
  CaseStatus,
  ItemKind,
  MedicalSubtype,
  PersonRole,
  Role,
  Sha256Hex,
  UserName,
} from './domain';

const optionalText = (max: number) => z.string().trim().max(max).optional();
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');

export const CaseInput = z.object({
  ref: CaseRef,
  title: z.string().trim().min(1).max(300),
  obNumber: optionalText(100),
  policeStation: optionalText(200),
  county: optionalText(100),
  incidentDate: IsoDate.optional(),
  court: optionalText(200),
  courtCaseNumber: optionalText(100),
  accountableOfficer: optionalText(200),
});
export type CaseInput = z.infer<typeof CaseInput>;

export const CasePatch = CaseInput.omit({ ref: true })
  .partial()
  .extend({ status: CaseStatus.optional() });
export type CasePatch = z.infer<typeof CasePatch>;

export const CaseFilter = z.object({
  status: CaseStatus.optional(),
  county: z.string().optional(),
  text: z.string().optional(),
});
export type CaseFilter = z.infer<typeof CaseFilter>;

export const PersonInput = z
  .object({
    role: PersonRole,
    fullName: z.string().trim().min(1).max(300),
    pseudonym: optionalText(100),
    protected: z.boolean().default(false),
    minor: z.boolean().default(false),
    serviceNumber: optionalText(100),
    contact: optionalText(300),
  })
  .refine((p) => !p.protected || (p.pseudonym !== undefined && p.pseudonym.length > 0), {
    message: 'A protected person needs a pseudonym.',
    path: ['pseudonym'],
  });
export type PersonInput = z.input<typeof PersonInput>;

export const ItemFields = z.object({
  kind: ItemKind.optional(),
  subtype: MedicalSubtype.optional(),
  title: optionalText(300),
  description: optionalText(5000),
  exhibitNumber: optionalText(50),
  capturedAt: z.string().datetime({ offset: true }).optional(),
  capturedBy: optionalText(200),
  source: optionalText(300),
  reason: optionalText(1000),
});
export type ItemFields = z.infer<typeof ItemFields>;

export const AddFilesInput = ItemFields.extend({
  caseRef: CaseRef,
  paths: z.array(z.string().min(1)).min(1),
  expectSha256: Sha256Hex.optional(),
  /** Accept a file of unknown type as "other document" (never a program). */
  force: z.boolean().default(false),
});
export type AddFilesInput = z.input<typeof AddFilesInput>;

export const NewUserInput = z.object({
  name: UserName,
  role: Role,
  passphrase: z.string().min(1),
});
export type NewUserInput = z.infer<typeof NewUserInput>;

export const ExhibitInput = z.object({
  title: z.string().trim().min(1).max(300),
  description: optionalText(5000),
  exhibitNumber: optionalText(50),
  seal: optionalText(100),
  custodian: optionalText(200),
  organisation: optionalText(200),
  place: optionalText(200),
  capturedAt: z.string().datetime({ offset: true }).optional(),
  capturedBy: optionalText(200),
  source: optionalText(300),
  reason: optionalText(1000),
});
export type ExhibitInput = z.infer<typeof ExhibitInput>;

export const TransferInput = z.object({
  to: z.string().trim().min(1).max(200),
  organisation: optionalText(200),
  place: optionalText(200),
  seal: optionalText(100),
  reason: z.string().trim().min(1, 'Say why the exhibit changed hands.').max(1000),
});
export type TransferInput = z.infer<typeof TransferInput>;

export const ItemPatchInput = z.object({
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().trim().max(5000).nullable().optional(),
  exhibitNumber: z.string().trim().max(50).nullable().optional(),
  capturedAt: z.string().datetime({ offset: true }).nullable().optional(),
  capturedBy: z.string().trim().max(200).nullable().optional(),
  source: z.string().trim().max(300).nullable().optional(),
  subtype: MedicalSubtype.nullable().optional(),
  reason: optionalText(1000),
});
export type ItemPatchInput = z.infer<typeof ItemPatchInput>;
