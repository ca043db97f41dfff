// The known trade keys (intake/spam-gate.ts ActiveKeys): every change is heard once — the node
// passes them to its embedded relay, which serves those keys' connections first.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ActiveKeys } from '../../src/intake/spam-gate.ts';

it('reports each new key and each replacement, not a key added twice', () => {
  const heard: string[][] = [];
  const keys = new ActiveKeys((k) => heard.push([...k].sort()));
  keys.add('a');
  keys.add('a');
  keys.add('b');
  keys.replace(['c']);
  assert.deepEqual(heard, [['a'], ['a', 'b'], ['c']]);
  assert.ok(keys.has('c') && !keys.has('a'));
});
