// The order findings are listed in and which of them a shortened list keeps: shared by the reports, ci's gate and
// the explore view, so each shows the same findings first.
import { plural } from './figures.js';

/** The order the reports list findings in: errors first, then the biggest first within a severity. */
export function findingOrder(a: { severity: string; bytes?: number }, b: { severity: string; bytes?: number }): number {
  return severityOrder(a.severity) - severityOrder(b.severity) || (b.bytes ?? 0) - (a.bytes ?? 0);
}

/** A severity's place in the reports' order: errors, then warnings, then the rest (info and style together). */
export function severityOrder(severity: string): number {
  return severity === 'error' ? 0 : severity === 'warning' ? 1 : 2;
}

/**
 * The first `limit` items are shared between the kinds (in the GitHub annotations: what decides the gate, the image's
 * findings, each Dockerfile's findings; in failOn's places: the image's findings and the Dockerfile's), one slot each in
 * turn, the earlier kind taking a slot left over, and a kind with fewer items giving its slots to the others. Each kind
 * keeps its own order, and its items past its share come after the first `limit`.
 */
export function sharedFirst<T>(kinds: readonly (readonly T[])[], limit: number): T[] {
  const share = kinds.map(() => 0);
  let left = limit;
  let open = kinds.flatMap((k, i) => (k.length > 0 ? [i] : []));
  while (left > 0 && open.length > 0) {
    for (const i of open) {
      if (left === 0) break;
      share[i]++;
      left--;
    }
    open = open.filter((i) => share[i] < kinds[i].length);
  }
  return [...kinds.flatMap((k, i) => k.slice(0, share[i])), ...kinds.flatMap((k, i) => k.slice(share[i]))];
}

/**
 * The `n` findings a report lists: errors first (a secret of 106 B is not to go under "…and 30 more" while bigger
 * warnings are shown), the biggest first within a severity. When it must cut, up to a quarter of the rows (at least
 * one) go to the biggest findings by bytes the severity-first pick left out: forty small secrets are not to hide a
 * 262 MB warning, the one `explore` and ci's "Fix first" put on top. The JSON keeps every finding.
 */
export function findingsToShow<T extends { severity: string; bytes?: number }>(findings: readonly T[], n: number): T[] {
  const bytes = (f: T) => f.bytes ?? 0;
  const order = (a: { f: T; i: number }, b: { f: T; i: number }) => findingOrder(a.f, b.f) || a.i - b.i;
  const ranked = findings.map((f, i) => ({ f, i })).sort(order);
  if (ranked.length <= n) return ranked.map(({ f }) => f);
  // Equal bytes: the more severe first (the sort is stable over `ranked`).
  const biggest = new Set(
    ranked
      .filter(({ f }) => bytes(f) > 0)
      .sort((a, b) => bytes(b.f) - bytes(a.f))
      .slice(0, Math.min(n, Math.max(1, Math.floor(n / 4)))),
  );
  // The biggest the severity-first pick already holds keep their row; the others push out its last ones.
  const rest = ranked.filter((x) => !biggest.has(x)).slice(0, n - biggest.size);
  return [...biggest, ...rest].sort(order).map(({ f }) => f);
}

/** `2 findings at or above warning`: what fails a run on its findings, as the gate's failOn check words it. */
export function findingsAtOrAbove(count: number, failOn: string): string {
  return `${plural(count, 'finding')} at or above ${failOn}`;
}
