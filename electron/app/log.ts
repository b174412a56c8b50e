// What the app side writes to its log about an unexpected error: where, the error's class, its
// message and stack. Never the call's arguments: they carry passphrases, recovery keys and names
// of protected persons.

export type Logger = (line: string) => void;

export const consoleLogger: Logger = (line) => console.error(line);

export function describeUnexpected(where: string, e: unknown): string {
  if (e instanceof Error) {
    const stack = e.stack?.split('\n').slice(1, 8).join('\n') ?? '';
    return `[kesi] ${where}: ${e.name}: ${e.message}${stack ? `\n${stack}` : ''}`;
  }
  return `[kesi] ${where}: a thrown ${typeof e}`;
}
