// The text payload of admin-add-solver (protocol.md §7.2): the reference's parsing and reasons.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toNpub } from '@mostro/protocol';
import { parseSolverSpec } from '../../src/app/admin-add-solver.ts';
import { CantDo } from '../../src/app/errors.ts';

const key = 'b4bf6548df043786641d4b63e748eda4b55fce21beae991512d23487c7bd8950';
const npub = toNpub(key);
const reason = (text: string) => {
  try {
    parseSolverSpec(text);
    return 'accepted';
  } catch (error) {
    assert.ok(error instanceof CantDo);
    return error.reason;
  }
};

describe('admin-add-solver text', () => {
  it('reads the permission: none, write and read-write mean read-write; read means read', () => {
    assert.deepEqual(parseSolverSpec(npub), { pubkey: key, permission: 'read-write' });
    assert.deepEqual(parseSolverSpec(` ${npub}:write `), { pubkey: key, permission: 'read-write' });
    assert.deepEqual(parseSolverSpec(`${npub}:read-write`), { pubkey: key, permission: 'read-write' });
    assert.deepEqual(parseSolverSpec(`${npub}:read`), { pubkey: key, permission: 'read' });
  });

  it('refuses as the reference does', () => {
    assert.equal(reason(''), 'invalid_text_message');
    assert.equal(reason('   '), 'invalid_text_message');
    assert.equal(reason(':read'), 'invalid_text_message');
    assert.equal(reason(`${npub}:`), 'invalid_parameters');
    assert.equal(reason(`${npub}:admin`), 'invalid_parameters');
    assert.equal(reason(`${npub}:read:write`), 'invalid_parameters');
  });

  it('returns null (no reply) for something that is not a public key', () => {
    assert.equal(parseSolverSpec('npub1notakey'), null);
    assert.equal(parseSolverSpec('hello:read'), null);
  });
});
