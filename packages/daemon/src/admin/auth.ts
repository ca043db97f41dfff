// Who may call an admin operation: the bearer token (`[rpc].auth_token`) and the peer's address.
// Shared by the gRPC and the HTTP transports so both refuse the same requests.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * Does an `Authorization` value carry `Bearer <token>`? Compared in constant time (over digests, so
 * a wrong length leaks nothing either).
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (header === undefined) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1] ?? ''), digest(token));
}

/** Is this IP address (as Node reports it, IPv4-mapped IPv6 included) the local machine? */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}

/**
 * The IP address of a grpc-js peer string: `ipv4:1.2.3.4:5`, `ipv6:[::1]:5`, `1.2.3.4:5` or
 * `[::1]:5`; null for anything else (a Unix socket has no IP and is treated as remote).
 */
export function grpcPeerAddress(peer: string): string | null {
  const rest = peer.replace(/^ipv[46]:/, '');
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(rest);
  if (bracketed) return isIP(bracketed[1] ?? '') ? (bracketed[1] ?? null) : null;
  const cut = rest.lastIndexOf(':');
  const host = cut > 0 ? rest.slice(0, cut) : rest;
  return isIP(host) ? host : null;
}
