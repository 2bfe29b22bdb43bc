import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';

/**
 * A trunk's carrier may be given by IPv4 address or by host name (`sip.carrier.example`). A name
 * is resolved to its IPv4 addresses (A records, as the system resolver finds them; no SRV or
 * NAPTR): requests go to the first, and INVITEs from any of them count as the carrier's.
 */
export async function resolveTrunkHost(host: string): Promise<string[]> {
  if (isIPv4(host)) return [host];
  const found = await lookup(host, { all: true, family: 4 });
  const addresses = [...new Set(found.map((a) => a.address))];
  if (addresses.length === 0) throw new Error(`${host} has no IPv4 address`);
  return addresses;
}
