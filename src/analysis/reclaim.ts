// What removing some packages would give back: the packages themselves plus every package that only they pulled
// in, as the package manager's own autoremove would decide it. Pure functions over the package databases' text,
// so the rules can be tested with hand-written databases.
//
// dpkg/apt: a package stays when it was asked for (not marked `Auto-Installed: 1` in /var/lib/apt/extended_states),
// is Essential/Protected/Important, or is reachable from one that stays through Depends, Pre-Depends or Recommends
// (apt's default APT::AutoRemove::RecommendsImportant keeps recommended packages). A dependency on a name is met by
// the package of that name and by every package that Provides it.
// apk: a package stays when the world file (/etc/apk/world) names it or it is reachable through `D:` dependencies
// (names, `so:`/`cmd:`/`pc:` provides via `p:`), or its `i:` install_if condition holds for packages that stay.
//
// Two deliberate simplifications, both on the side of claiming less than the package manager would remove:
// every installed alternative of `a | b` is kept (apt may keep only the one it marked), and version constraints
// are ignored (a dependency the installed version would not satisfy still keeps it).

export type DependencyManager = 'dpkg' | 'apk';

export interface DependencyPackage {
  name: string;
  /** One entry per dependency; each lists the names any one of which satisfies it (`a | b`). */
  depends: string[][];
  /** Names (and virtual names) this package satisfies besides its own. */
  provides: string[];
  /** Installed only as a dependency: apt's `Auto-Installed: 1`, or not named in apk's world file. */
  auto: boolean;
  /** Never autoremoved whatever the marks say (dpkg `Essential: yes`, `Protected: yes`, `Important: yes`). */
  pinned: boolean;
  /** apk `i:` install_if: installed automatically while all of these are installed. */
  installIf?: string[];
}

export interface DependencyGraph {
  manager: DependencyManager;
  packages: DependencyPackage[];
}

// ------------------------------------------------------------------------------------------------------ dpkg

/** RFC-822-style stanzas (dpkg status, apt extended_states): one record per paragraph, continuation lines joined. */
export function parseStanzas(text: string): Record<string, string>[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const out: Record<string, string> = {};
      let key = '';
      for (const line of block.split('\n')) {
        if (/^\s/.test(line) && key) out[key] += `\n${line.trim()}`;
        else {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          key = line.slice(0, colon);
          out[key] = line.slice(colon + 1).trim();
        }
      }
      return out;
    })
    .filter((s) => s.Package);
}

/** `libc6 (>= 2.34), gcc-12 | clang:any, perl:any` -> [['libc6'], ['gcc-12', 'clang'], ['perl']]. */
export function parseDpkgRelations(field: string | undefined): string[][] {
  if (!field) return [];
  return field
    .split(',')
    .map((group) =>
      group
        .split('|')
        // version constraints, architecture lists and build profiles do not change what satisfies it here
        .map((alt) => alt.replace(/\([^)]*\)|\[[^\]]*\]|<[^>]*>/g, '').trim())
        .map((alt) => alt.replace(/:[\w-]+$/, ''))
        .filter(Boolean),
    )
    .filter((group) => group.length > 0);
}

/** Names apt marked as automatically installed (`Auto-Installed: 1`) in /var/lib/apt/extended_states. */
export function parseExtendedStates(text: string | undefined): Set<string> {
  const auto = new Set<string>();
  for (const s of parseStanzas(text ?? '')) if (s['Auto-Installed']?.trim() === '1') auto.add(s.Package);
  return auto;
}

/** The dependency graph of the installed packages of dpkg status records, with apt's auto marks. */
export function dpkgGraph(records: Record<string, string>[], extendedStates: string | undefined): DependencyGraph {
  const auto = parseExtendedStates(extendedStates);
  const packages: DependencyPackage[] = [];
  for (const r of records) {
    if (r.Status && !/\binstalled$/.test(r.Status)) continue;
    packages.push({
      name: r.Package,
      depends: [
        ...parseDpkgRelations(r['Pre-Depends']),
        ...parseDpkgRelations(r.Depends),
        ...parseDpkgRelations(r.Recommends),
      ],
      provides: parseDpkgRelations(r.Provides).flat(),
      auto: auto.has(r.Package),
      pinned: r.Essential === 'yes' || r.Protected === 'yes' || r.Important === 'yes',
    });
  }
  return { manager: 'dpkg', packages };
}

// ------------------------------------------------------------------------------------------------------ apk

/** `so:libc.musl-x86_64.so.1`, `curl>=8.0`, `python3~3.12`, `name@edge` -> the bare name; `!conflict` -> undefined. */
function apkName(token: string): string | undefined {
  if (!token || token.startsWith('!')) return undefined;
  return token.replace(/@.*$/, '').replace(/[<>=~].*$/, '') || undefined;
}

/** The dependency graph of apk's installed database (`lib/apk/db/installed`), with the world file's roots. */
export function apkGraph(installed: string, world: string | undefined): DependencyGraph {
  const roots = new Set(
    (world ?? '')
      .split(/\s+/)
      .map(apkName)
      .filter((n): n is string => n !== undefined),
  );
  const packages: DependencyPackage[] = [];
  for (const block of installed.split(/\n\n+/)) {
    let name = '';
    const depends: string[][] = [];
    const provides: string[] = [];
    let installIf: string[] | undefined;
    for (const line of block.split('\n')) {
      const key = line.slice(0, 2);
      const names = () =>
        line
          .slice(2)
          .split(/\s+/)
          .map(apkName)
          .filter((n): n is string => n !== undefined);
      // One by one, not push(...): a line of 300,000 names is more arguments than a call takes.
      if (key === 'P:') name = line.slice(2);
      else if (key === 'D:') for (const n of names()) depends.push([n]);
      else if (key === 'p:') for (const n of names()) provides.push(n);
      else if (key === 'i:') installIf = names();
    }
    if (!name) continue;
    packages.push({
      name,
      depends,
      provides,
      auto: !roots.has(name),
      pinned: false,
      ...(installIf?.length ? { installIf } : {}),
    });
  }
  return { manager: 'apk', packages };
}

// ------------------------------------------------------------------------------------------------------ sweep

/**
 * The names of the packages that removing `removed` takes away: those packages, and every auto-installed package
 * no longer reachable from a package that stays. Names in `removed` that are not installed are ignored.
 */
export function reclaimablePackages(graph: DependencyGraph, removed: Iterable<string>): Set<string> {
  const gone = new Set(removed);
  const byName = new Map<string, DependencyPackage[]>();
  const add = (key: string, p: DependencyPackage) => {
    const list = byName.get(key);
    if (list) list.push(p);
    else byName.set(key, [p]);
  };
  for (const p of graph.packages) {
    add(p.name, p);
    for (const v of p.provides) if (v !== p.name) add(v, p);
  }

  const kept = new Set<DependencyPackage>();
  const queue: DependencyPackage[] = [];
  const keep = (p: DependencyPackage) => {
    if (kept.has(p) || gone.has(p.name)) return;
    kept.add(p);
    queue.push(p);
  };
  const keepClosure = () => {
    while (queue.length) {
      const p = queue.pop()!;
      for (const group of p.depends) for (const alt of group) for (const target of byName.get(alt) ?? []) keep(target);
    }
  };
  for (const p of graph.packages) if (!p.auto || p.pinned) keep(p);
  keepClosure();
  // apk's install_if: a package whose condition holds for the packages that stay stays too, and what it needs.
  const conditional = graph.packages.filter((p) => p.installIf);
  const installed = (name: string) => (byName.get(name) ?? []).some((t) => kept.has(t));
  for (let changed = true; changed;) {
    changed = false;
    for (const p of conditional) {
      if (kept.has(p) || gone.has(p.name) || !p.installIf!.every(installed)) continue;
      keep(p);
      keepClosure();
      changed = true;
    }
  }
  return new Set(graph.packages.filter((p) => !kept.has(p)).map((p) => p.name));
}
