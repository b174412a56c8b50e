// Plain-text tables for people, JSON for scripts.

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function printTable(
  headers: string[],
  rows: (string | number | null | undefined)[][],
): void {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(line(headers) + '\n');
  process.stdout.write(line(widths.map((w) => '-'.repeat(w))) + '\n');
  for (const r of cells) process.stdout.write(line(r) + '\n');
}

export function printFields(
  fields: [string, string | number | boolean | null | undefined][],
): void {
  const w = Math.max(...fields.map(([k]) => k.length));
  for (const [k, v] of fields) {
    process.stdout.write(
      `${(k + ':').padEnd(w + 1)} ${v === null || v === undefined ? '' : String(v)}\n`,
    );
  }
}
