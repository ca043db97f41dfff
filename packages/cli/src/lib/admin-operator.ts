// `mostro admin` over the node's admin gRPC: maintenance, version and the reputation operations
// (revoke-imports, rebind-export) exist only there; settle,
// cancel, add-solver and take use it instead of Nostr when an RPC URL is given. The node acts with
// its own key then, so no --admin-key is needed — the operator's access is the machine and token.
import { AdminRpc, type RpcTarget, requireSuccess } from './admin-rpc.ts';
import { globals } from './globals.ts';
import { emit } from './output.ts';

export const RPC_ONLY = ['maintenance', 'version', 'revoke-imports', 'rebind-export'];
export const RPC_CAPABLE = ['settle', 'cancel', 'add-solver', 'take', ...RPC_ONLY];

function statusLines(s: Record<string, unknown>): string[] {
  // The DrainCounters message of admin.proto.
  const c = (s.counters ?? {}) as Record<string, number | undefined>;
  const since = typeof s.since === 'number' ? ` since ${new Date(s.since * 1000).toISOString()}` : '';
  return [
    s.enabled
      ? `maintenance ON${s.reason ? ` (${s.reason})` : ''}${since}: new orders and takes are refused`
      : 'maintenance off: the node takes new orders',
    `  escrowed orders ${c.escrowed_orders ?? 0}, payouts in flight ${c.inflight_payouts ?? 0}, dev fees ${c.inflight_dev_fees ?? 0}, open bonds ${c.open_bonds ?? 0}, bond payouts ${c.pending_bond_payouts ?? 0}`,
    `  pending orders ${c.pending_orders ?? 0} (lock no sats)`,
    s.drained ? '  drained: nothing in escrow or in flight' : '  not drained yet: open trades are finishing',
  ];
}

export async function adminOverRpc(
  sub: string,
  args: string[],
  options: { reason?: string; pretradeOnly: boolean; after?: number },
  target: RpcTarget,
): Promise<void> {
  const rpc = new AdminRpc(target, globals().timeout);
  try {
    switch (sub) {
      case 'version': {
        const r = await rpc.call('GetVersion', {});
        return emit(r, () => `mostrod ${r.version} at ${target.url.origin}`);
      }
      case 'maintenance': {
        const mode = args[0];
        if (mode !== 'status') {
          const enabled = mode === 'on';
          requireSuccess(
            'SetMaintenanceMode',
            await rpc.call('SetMaintenanceMode', { enabled, ...(options.reason ? { reason: options.reason } : {}) }),
          );
        }
        const s = await rpc.call('GetMaintenanceStatus', {});
        return emit(s, () => statusLines(s));
      }
      case 'settle':
        requireSuccess('SettleOrder', await rpc.call('SettleOrder', { order_id: args[0] }));
        return emit({ orderId: args[0], settled: true }, () => 'settled: the buyer is paid');
      case 'cancel':
        requireSuccess(
          'CancelOrder',
          await rpc.call('CancelOrder', {
            order_id: args[0],
            ...(options.pretradeOnly ? { pretrade_only: true } : {}),
          }),
        );
        return emit({ orderId: args[0], canceled: true }, () => 'canceled by the node');
      case 'add-solver':
        requireSuccess('AddSolver', await rpc.call('AddSolver', { solver_pubkey: args[0] }));
        return emit({ added: args[0] }, () => `solver ${args[0]} added`);
      case 'revoke-imports': {
        const r = await rpc.call('RevokeReputationImports', {
          issuer_key: args[0],
          ...(options.after !== undefined ? { imported_after: options.after } : {}),
          ...(options.reason ? { reason: options.reason } : {}),
        });
        requireSuccess('RevokeReputationImports', r);
        return emit(r, () => `${Number(r.revoked ?? 0)} reputation import(s) of ${args[0]} revoked`);
      }
      case 'rebind-export': {
        const r = await rpc.call('RebindReputationExport', {
          identity: args[0],
          new_identity: args[1],
          reason: options.reason ?? '',
        });
        requireSuccess('RebindReputationExport', r);
        return emit(r, () => `export of ${args[0]} now bound to ${args[1]} (was ${r.previous_identity ?? 'unbound'})`);
      }
      case 'take':
        requireSuccess('TakeDispute', await rpc.call('TakeDispute', { dispute_id: args[0] }));
        return emit({ disputeId: args[0], taken: true }, () => [
          `dispute ${args[0]} taken by the node key`,
          '  its details went to the node key’s inbox; settle or cancel with mostro admin settle|cancel --rpc …',
        ]);
    }
  } finally {
    rpc.close();
  }
}
