// The optional `bond_resolution` payload of admin-settle / admin-cancel (§7.3). This node takes no
// anti-abuse bonds, so no side can have a bond locked: asking to slash one is invalid_payload, as
// the reference answers for a side without a bond.
import type { MessageKind } from '@mostro/protocol';
import { CantDo } from '../app/errors.ts';

export function refuseSlashing(message: MessageKind): void {
  const p = message.payload;
  if (p && 'bond_resolution' in p && (p.bond_resolution.slash_seller || p.bond_resolution.slash_buyer)) {
    throw new CantDo('invalid_payload');
  }
}
