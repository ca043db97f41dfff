// The known trade keys (intake/spam-gate.ts ActiveKeys): every change is heard once, as a
// difference — the node passes it to its embedded relay, which serves those keys' connections first.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ActiveKeys, type KeyChange } from '../../src/intake/spam-gate.ts';

it('reports each new key and what a replacement changed, not a key added twice nor a no-op', () => {
  const heard: KeyChange[] = [];
  const keys = new ActiveKeys((change) => heard.push({ added: change.added.sort(), removed: change.removed.sort() }));
  keys.add('a');
  keys.add('a');
  keys.add('b');
  keys.replace(['b', 'c']);
  keys.replace(['c', 'b']);
  assert.deepEqual(heard, [
    { added: ['a'], removed: [] },
    { added: ['b'], removed: [] },
    { added: ['c'], removed: ['a'] },
  ]);
  assert.ok(keys.has('c') && keys.has('b') && !keys.has('a'));
});
