import type { ChatFormat, SolverDisputeInfo, Transport } from '@mostro/protocol';
import type { TradeRecord } from '../trade/types.ts';

export type PrivacyMode = 'reputation' | 'full-private';

/** What the client remembers about one node. */
export interface NodeSettings {
  pubkey: string;
  relays: string[];
  /** Forced transport; null = read it from the node's 38385 info every time. */
  transport: Transport | null;
}

/** The decrypted content of a session (version 1). Holds the mnemonic; nothing else secret. */
export interface SessionData {
  version: 1;
  mnemonic: string;
  /** Highest trade index ever reserved (0 = none). Only grows. */
  lastTradeIndex: number;
  privacy: PrivacyMode;
  /** The node used when none is given. */
  defaultNode: string | null;
  nodes: Record<string, NodeSettings>;
  /** Trades by order id. */
  trades: Record<string, TradeRecord>;
  /**
   * Chat: ids of inner events already seen (durable replay defence) and read cursors, per channel;
   * `peer` = the format and time of the counterparty's newest message (replies follow its format).
   */
  chat: Record<string, { seen: string[]; since: number; peer?: { format: ChatFormat; at: number } }>;
  /** Solver side: disputes this session took, with the details the node sent (admin commands). */
  solver?: Record<string, { disputeId: string; info: SolverDisputeInfo }>;
  /**
   * Web solver console: the solver's secret key (hex; from an nsec, or derived from the mnemonic
   * above) and the permission the node has shown it has (null = not yet known).
   */
  solverConsole?: { key: string; permission: 'read' | 'read-write' | 'none' | null };
  /** Ids of node messages already applied to trades (bounded), so catch-ups never apply one twice. */
  inbox: string[];
  createdAt: number;
}
