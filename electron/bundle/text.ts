// Text that Kesi typesets: typed statements, text extracted from Word documents, and every
// title and description it prints. Pseudonyms of protected persons are applied here.
import type { BundlePseudonym } from './types';

/**
 * Plain text as paragraphs of one line each: Windows and old Mac line ends as \n, a leading
 * byte order mark dropped, tabs as four spaces, other invisible controls removed, NFC.
 */
export function normaliseText(text: string): string {
  return (
    text
      .replace(/^\ufeff/, '')
      .replace(/\r\n?/g, '\n')
      .replace(/[\f\v\u2028\u2029]/g, '\n')
      .replace(/\t/g, '    ')
      // eslint-disable-next-line no-control-regex -- the controls are what is removed
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '')
      .normalize('NFC')
      .replace(/[ \u00a0]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^\n+|\n+$/g, '')
  );
}

/** The raw text of a DOCX (paragraphs separated by blank lines), as mammoth reads it. */
export async function docxText(bytes: Uint8Array): Promise<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mammoth = (await import('mammoth')).default;
  const result = await mammoth.extractRawText({ buffer });
  return result.value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces protected persons' names by their pseudonyms in text Kesi typesets. */
export interface Pseudonymise {
  (text: string): string;
  /** The text with names replaced, and how many were. */
  counted(text: string): { text: string; count: number };
}

/**
 * Replaces each name (whole words, any case, any spacing between its parts) by its pseudonym,
 * longest names first so that "Mary Wanjirū Kamau" goes before "Wanjirū". With nothing to
 * replace, text is returned as it is.
 */
export function pseudonymiser(pseudonyms: readonly BundlePseudonym[]): Pseudonymise {
  const key = (name: string) => name.toLocaleLowerCase('en').replace(/\s+/g, ' ');
  const byName = new Map<string, string>();
  for (const p of [...pseudonyms].sort((a, b) => b.name.length - a.name.length)) {
    const name = p.name.normalize('NFC').trim();
    if (name.length < 2) continue;
    if (!byName.has(key(name))) byName.set(key(name), p.pseudonym.normalize('NFC'));
  }
  const names = [...byName.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const pattern =
    names.length === 0
      ? null
      : new RegExp(
          `(?<![\\p{L}\\p{N}\\p{M}])(?:${names
            .map((n) => n.split(' ').map(escapeRegExp).join('\\s+'))
            .join('|')})(?![\\p{L}\\p{N}\\p{M}])`,
          'giu',
        );
  const counted = (text: string): { text: string; count: number } => {
    if (!pattern) return { text, count: 0 };
    let count = 0;
    const out = text.normalize('NFC').replace(pattern, (m) => {
      count++;
      return byName.get(key(m)) ?? m;
    });
    return { text: out, count };
  };
  const apply = ((text: string) => counted(text).text) as Pseudonymise;
  apply.counted = counted;
  return apply;
}
