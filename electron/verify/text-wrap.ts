// Word-wrapping for the plain-text reports (`kesi audit`, `kesi verify`).

/** The width of a report line, in characters. */
export const REPORT_WIDTH = 100;

/** Word-wraps `text` to `width` columns: `first` before the first line, `indent` before the rest. */
export function wrap(text: string, first: string, indent: string, width = REPORT_WIDTH): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
