// Collects the problems a bundle verification finds, with their group and severity.
import {
  BUNDLE_CODES,
  type BundleProblem,
  type BundleProblemCode,
} from '../../shared/bundle-report';

export type ProblemPlace = Pick<
  BundleProblem,
  'exhibitNumber' | 'page' | 'eventHash' | 'chain' | 'seq'
>;

export class Findings {
  readonly problems: BundleProblem[] = [];

  add(code: BundleProblemCode, message: string, place: ProblemPlace = {}): void {
    const [check, severity] = BUNDLE_CODES[code];
    const p: BundleProblem = { code, severity, check, message };
    for (const k of ['exhibitNumber', 'page', 'eventHash', 'chain', 'seq'] as const) {
      const v = place[k];
      if (v !== undefined) (p as unknown as Record<string, unknown>)[k] = v;
    }
    this.problems.push(p);
  }

  /** A reporter bound to a place, for checks that know only a code and a message. */
  reporter(place: ProblemPlace = {}): (code: BundleProblemCode, message: string) => void {
    return (code, message) => this.add(code, message, place);
  }
}

/** "e3b0c44298fc…" */
export function short(hash: unknown): string {
  return typeof hash === 'string' ? `${hash.slice(0, 12)}…` : String(hash);
}
