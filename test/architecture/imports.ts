// Reads the workspace packages and every import in their src/ trees, and checks them against the
// dependency direction of ARCHITECTURE.md. Pure functions over a snapshot so that the rules can be
// tested on made-up layouts too (a check that cannot fail proves nothing).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Which of our packages each package may import (by short name: packages/<name>). */
export const ALLOWED: Record<string, readonly string[]> = {
  protocol: [],
  nostr: ['protocol'],
  client: ['protocol', 'nostr'],
  daemon: ['protocol', 'nostr'],
  cli: ['protocol', 'nostr', 'client'],
  web: ['protocol', 'nostr', 'client'],
};

export interface PackageInfo {
  /** Short name: the folder under packages/. */
  dir: string;
  /** npm name, e.g. @mostro/client. */
  name: string;
  /** Our packages named in package.json dependencies (npm names). */
  declared: string[];
  /** Source files (absolute path) and what each imports (specifiers as written). */
  files: { path: string; imports: string[] }[];
}

export interface Workspace {
  root: string;
  packages: PackageInfo[];
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(?\s*['"]([^'"]+)['"]/gm;

/** Every module specifier in a TypeScript source (static imports, re-exports, dynamic imports). */
export function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(IMPORT)].map((m) => (m[1] ?? m[2]) as string);
}

function tsFiles(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) tsFiles(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

export function readWorkspace(root: string): Workspace {
  const packagesDir = join(root, 'packages');
  const packages = readdirSync(packagesDir)
    .filter((dir) => statSync(join(packagesDir, dir)).isDirectory())
    .map((dir): PackageInfo => {
      const manifest = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      const declared = Object.keys({
        ...manifest.dependencies,
        ...manifest.devDependencies,
        ...manifest.peerDependencies,
      }).filter((d) => d.startsWith('@mostro/'));
      const files = tsFiles(join(packagesDir, dir, 'src')).map((path) => ({
        path,
        imports: importsOf(readFileSync(path, 'utf8')),
      }));
      return { dir, name: manifest.name, declared, files };
    });
  return { root, packages };
}

/** The package (short name) an import of `file` lands in; null when it is not one of ours. */
export function targetPackage(ws: Workspace, file: string, specifier: string): string | null {
  const byName = ws.packages.find((p) => specifier === p.name || specifier.startsWith(`${p.name}/`));
  if (byName) return byName.dir;
  if (specifier.startsWith('@mostro/')) return specifier.slice('@mostro/'.length).split('/')[0] as string;
  if (!specifier.startsWith('.')) return null;
  const inside = relative(join(ws.root, 'packages'), resolve(dirname(file), specifier));
  if (inside.startsWith('..')) return '(outside packages/)';
  return inside.split(sep)[0] as string;
}

/** Every edge between two different packages: from src/ imports and from package.json. */
export function packageEdges(ws: Workspace): { from: string; to: string; where: string }[] {
  const edges: { from: string; to: string; where: string }[] = [];
  for (const p of ws.packages) {
    for (const d of p.declared) {
      const to = ws.packages.find((q) => q.name === d)?.dir ?? d;
      edges.push({ from: p.dir, to, where: `packages/${p.dir}/package.json` });
    }
    for (const f of p.files) {
      for (const spec of f.imports) {
        const to = targetPackage(ws, f.path, spec);
        if (to !== null && to !== p.dir)
          edges.push({ from: p.dir, to, where: `${relative(ws.root, f.path)}: '${spec}'` });
      }
    }
  }
  return edges;
}

/** What breaks the dependency direction: forbidden edges, undeclared imports, relative reaches. */
export function directionViolations(ws: Workspace, allowed = ALLOWED): string[] {
  const out: string[] = [];
  for (const p of ws.packages) {
    if (!(p.dir in allowed)) out.push(`packages/${p.dir}: no dependency rule for this package (add it to ALLOWED)`);
  }
  for (const e of packageEdges(ws)) {
    if (!(allowed[e.from] ?? []).includes(e.to)) out.push(`${e.from} must not depend on ${e.to} (${e.where})`);
  }
  for (const p of ws.packages) {
    for (const f of p.files) {
      for (const spec of f.imports) {
        const to = targetPackage(ws, f.path, spec);
        if (to === null || to === p.dir) continue;
        const where = `${relative(ws.root, f.path)}: '${spec}'`;
        if (spec.startsWith('.')) out.push(`${where} reaches into another package by path; import it by name`);
        else if (!p.declared.includes(`@mostro/${to}`))
          out.push(`${where} imports @mostro/${to}, which packages/${p.dir}/package.json does not declare`);
      }
    }
  }
  return out;
}

/** Cycles in a directed graph, each as the list of nodes around it (first node repeated last). */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

export function packageGraph(ws: Workspace): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>(ws.packages.map((p) => [p.dir, new Set<string>()]));
  for (const e of packageEdges(ws)) graph.get(e.from)?.add(e.to);
  return graph;
}

/** The file-level import graph of every package's src/ (relative imports, type-only ones included). */
export function fileGraph(ws: Workspace): Map<string, Set<string>> {
  const known = new Set(ws.packages.flatMap((p) => p.files.map((f) => f.path)));
  const graph = new Map<string, Set<string>>();
  for (const p of ws.packages) {
    for (const f of p.files) {
      const edges = new Set<string>();
      for (const spec of f.imports) {
        if (!spec.startsWith('.')) continue;
        const base = resolve(dirname(f.path), spec);
        const target = [base, `${base}.ts`, join(base, 'index.ts')].find((c) => known.has(c));
        if (target) edges.add(relative(ws.root, target));
      }
      graph.set(relative(ws.root, f.path), edges);
    }
  }
  return graph;
}
