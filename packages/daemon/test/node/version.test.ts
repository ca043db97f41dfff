// The version the node reports: the reference release it is current with, this implementation as
// SemVer build metadata, and that implementation version is the daemon package's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { IMPLEMENTATION_VERSION, MOSTRO_VERSION, REFERENCE_VERSION } from '../../src/node/jobs.ts';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

describe('the reported version', () => {
  it('is SemVer: the reference release, then this implementation as build metadata', () => {
    const m = SEMVER.exec(MOSTRO_VERSION);
    assert.ok(m, MOSTRO_VERSION);
    assert.equal(`${m[1]}.${m[2]}.${m[3]}`, REFERENCE_VERSION);
    assert.equal(m[4], `mostro-ts.${IMPLEMENTATION_VERSION}`);
  });

  it("names the daemon package's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(IMPLEMENTATION_VERSION, pkg.version);
  });

  it('passes a reference client version gate the way mostro-cli reads it (major.minor.patch, >= 0.18.7)', () => {
    // mostro-cli 0.16.3 rpc.rs parse_version: leading v, trailing -pre / +build ignored.
    const core = MOSTRO_VERSION.trim().replace(/^v/, '').split(/[-+]/)[0] as string;
    const parts = core.split('.').map(Number);
    assert.equal(parts.length, 3);
    const [a, b, c] = parts as [number, number, number];
    assert.ok(a > 0 || b > 18 || (b === 18 && c >= 7));
  });
});
