// The dependency direction of ARCHITECTURE.md, checked over every package.json and every import in
// packages/*/src: protocol ← nostr ← client ← cli/web; protocol ← nostr ← daemon. The daemon never
// imports the client; no cycles between our packages.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  cycles,
  directionViolations,
  fileGraph,
  importsOf,
  packageGraph,
  readWorkspace,
  type Workspace,
} from './imports.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('dependency direction', () => {
  const ws = readWorkspace(root);

  it('reads every workspace package and its sources', () => {
    const dirs = ws.packages.map((p) => p.dir).sort();
    for (const d of ['cli', 'client', 'daemon', 'nostr', 'protocol']) assert.ok(dirs.includes(d), `packages/${d}`);
    const daemon = ws.packages.find((p) => p.dir === 'daemon');
    assert.ok(daemon && daemon.files.length > 50, 'the daemon sources are read');
    assert.ok(
      daemon.files.some((f) => f.imports.includes('@mostro/nostr')),
      'imports are parsed (the daemon imports @mostro/nostr)',
    );
  });

  it('holds in this repository', () => {
    assert.deepEqual(directionViolations(ws), []);
  });

  it('has no cycle between our packages', () => {
    assert.deepEqual(cycles(packageGraph(ws)), []);
  });

  it('keeps the escrow and the order updates below the handlers (nothing imports app/)', () => {
    const daemon = ws.packages.find((p) => p.dir === 'daemon')!;
    const below = daemon.files.filter((f) => /[/\\]src[/\\](escrow|orders)[/\\]/.test(f.path));
    assert.ok(below.length > 10, 'escrow/ and orders/ are read');
    const up = below.flatMap((f) => f.imports.filter((i) => /(^|\/)app\//.test(i)).map((i) => `${f.path}: ${i}`));
    assert.deepEqual(up, []);
  });

  it('has no import cycle between source files (type-only imports count)', () => {
    const graph = fileGraph(ws);
    assert.ok(
      graph.get('packages/daemon/src/escrow/escrow.ts')?.has('packages/daemon/src/escrow/hold.ts'),
      'relative imports are resolved',
    );
    assert.deepEqual(cycles(graph), []);
  });
});

// The rules on made-up layouts: each forbidden edge is reported, so the checks above can fail.
function fake(pkgs: Record<string, { declared?: string[]; imports?: string[] }>): Workspace {
  const r = '/repo';
  return {
    root: r,
    packages: Object.entries(pkgs).map(([dir, p]) => ({
      dir,
      name: `@mostro/${dir}`,
      declared: p.declared ?? [],
      files: [{ path: join(r, 'packages', dir, 'src', 'a', 'index.ts'), imports: p.imports ?? [] }],
    })),
  };
}

describe('dependency direction checks', () => {
  it('parse static, type-only, re-export, side-effect and dynamic imports, not comments', () => {
    const src = [
      "import { a } from '@mostro/protocol';",
      "import type {\n  B,\n  C,\n} from '@mostro/nostr';",
      "export * from './x.ts';",
      "import 'side-effect';",
      "const m = await import('@mostro/client');",
      "// import { z } from '@mostro/daemon';",
      "/* import { y } from '@mostro/cli'; */",
    ].join('\n');
    assert.deepEqual(importsOf(src), ['@mostro/protocol', '@mostro/nostr', './x.ts', 'side-effect', '@mostro/client']);
  });

  it('report the daemon importing the client, by import and by package.json', () => {
    const v = directionViolations(
      fake({
        protocol: {},
        nostr: {},
        client: {},
        daemon: { declared: ['@mostro/client'], imports: ['@mostro/client/x'] },
      }),
    );
    assert.equal(v.filter((x) => x.startsWith('daemon must not depend on client')).length, 2, v.join('\n'));
  });

  it('report protocol importing anything of ours, nostr importing client or daemon, client importing daemon/cli/web', () => {
    const v = directionViolations(
      fake({
        protocol: { declared: ['@mostro/nostr'], imports: ['@mostro/nostr'] },
        nostr: { declared: ['@mostro/client', '@mostro/daemon'], imports: ['@mostro/client', '@mostro/daemon'] },
        client: { declared: ['@mostro/daemon'], imports: ['@mostro/daemon', '@mostro/cli', '@mostro/web'] },
        daemon: {},
        cli: {},
        web: {},
      }),
    );
    for (const edge of [
      'protocol must not depend on nostr',
      'nostr must not depend on client',
      'nostr must not depend on daemon',
      'client must not depend on daemon',
      'client must not depend on cli',
      'client must not depend on web',
    ])
      assert.ok(
        v.some((x) => x.startsWith(edge)),
        `${edge}\n${v.join('\n')}`,
      );
  });

  it('report an undeclared import and a relative reach into another package', () => {
    const v = directionViolations(
      fake({ protocol: {}, nostr: {}, client: { imports: ['@mostro/nostr', '../../../nostr/src/pool.ts'] } }),
    );
    assert.ok(
      v.some((x) => x.includes("'@mostro/nostr' imports @mostro/nostr, which")),
      v.join('\n'),
    );
    assert.ok(
      v.some((x) => x.includes('reaches into another package by path')),
      v.join('\n'),
    );
  });

  it('accept the allowed direction', () => {
    const v = directionViolations(
      fake({
        protocol: { imports: ['nostr-tools', './local.ts'] },
        nostr: { declared: ['@mostro/protocol'], imports: ['@mostro/protocol'] },
        client: { declared: ['@mostro/nostr'], imports: ['@mostro/nostr/node'] },
        daemon: { declared: ['@mostro/nostr', '@mostro/protocol'], imports: ['@mostro/nostr'] },
        cli: { declared: ['@mostro/client'], imports: ['@mostro/client'] },
      }),
    );
    assert.deepEqual(v, []);
  });

  it('find cycles', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    assert.deepEqual(cycles(graph), [['a', 'b', 'c', 'a']]);
    assert.deepEqual(
      cycles(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set<string>()],
        ]),
      ),
      [],
    );
  });

  it('see a cycle through a type-only import between two files', () => {
    const ws: Workspace = {
      root: '/repo',
      packages: [
        {
          dir: 'daemon',
          name: '@mostro/daemon',
          declared: [],
          files: [
            { path: '/repo/packages/daemon/src/escrow/escrow.ts', imports: ['./hold.ts'] },
            { path: '/repo/packages/daemon/src/escrow/hold.ts', imports: ['./escrow.ts'] },
          ],
        },
      ],
    };
    assert.deepEqual(cycles(fileGraph(ws)), [
      [
        'packages/daemon/src/escrow/escrow.ts',
        'packages/daemon/src/escrow/hold.ts',
        'packages/daemon/src/escrow/escrow.ts',
      ],
    ]);
  });
});
