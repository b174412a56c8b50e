// A search snippet as plain and marked parts. The service marks matches with [ and ]
// (electron/catalogue/repos/search.ts); the page shows them as <mark>, never as HTML. Pure.
export interface SnippetPart {
  text: string;
  mark: boolean;
}

export function snippetParts(snippet: string, open = '[', close = ']'): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let rest = snippet;
  while (rest !== '') {
    const a = rest.indexOf(open);
    const b = a < 0 ? -1 : rest.indexOf(close, a + open.length);
    if (a < 0 || b < 0) {
      parts.push({ text: rest, mark: false });
      break;
    }
    if (a > 0) parts.push({ text: rest.slice(0, a), mark: false });
    const inner = rest.slice(a + open.length, b);
    if (inner !== '') parts.push({ text: inner, mark: true });
    rest = rest.slice(b + close.length);
  }
  return parts;
}
