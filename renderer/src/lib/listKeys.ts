// Keyboard movement in a list or grid that is one tab stop (roving focus). Pure.

/** The index the key moves to, or null when the key does not move. */
export function nextIndex(
  key: string,
  current: number,
  count: number,
  opts: { columns?: number; page?: number } = {},
): number | null {
  if (count === 0) return null;
  const columns = Math.max(1, opts.columns ?? 1);
  const page = Math.max(1, opts.page ?? 10) * columns;
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(current + columns);
    case 'ArrowUp':
      return clamp(current - columns);
    case 'ArrowRight':
      return columns > 1 ? clamp(current + 1) : null;
    case 'ArrowLeft':
      return columns > 1 ? clamp(current - 1) : null;
    case 'PageDown':
      return clamp(current + page);
    case 'PageUp':
      return clamp(current - page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
