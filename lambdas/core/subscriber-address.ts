import { BlockList, isIP } from 'node:net';

// Where a subscriber's webhook may be sent (the SSRF guard of issue 11). The product POSTs to addresses staff
// type in, from inside AWS: an address that names the metadata service (169.254.169.254, fd00:ec2::254), a
// VPC or the Lambda's own loopback must never be reached. A URL is checked when it is registered and, after
// DNS resolution, at every delivery (lambdas/adapters/subscriber-http.ts connects to the very address checked
// here, so a name that resolves elsewhere the second time, DNS rebinding, gains nothing).

export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

/**
 * The special-purpose ranges (IANA IPv4 and IPv6 Special-Purpose Address Registries, RFC 6890 and successors)
 * that are not the public internet, by class. Node's BlockList matches IPv4 ranges against IPv4-mapped IPv6
 * addresses too (::ffff:127.0.0.1 is loopback), which is the classic way round such a list.
 */
const RANGES: Record<Exclude<AddressClass, 'public'>, [address: string, prefix: number, family: 'ipv4' | 'ipv6'][]> = {
  unspecified: [
    ['0.0.0.0', 8, 'ipv4'], // "this network": 0.0.0.0 reaches the local host on Linux
    ['::', 128, 'ipv6'],
  ],
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  private: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['100.64.0.0', 10, 'ipv4'], // shared address space (carrier-grade NAT)
    ['fc00::', 7, 'ipv6'], // unique local, including the metadata service's fd00:ec2::254
    ['fec0::', 10, 'ipv6'], // site-local (deprecated, still routed by some stacks)
    ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ],
  'link-local': [
    ['169.254.0.0', 16, 'ipv4'], // the instance metadata service is 169.254.169.254
    ['fe80::', 10, 'ipv6'],
  ],
  multicast: [
    ['224.0.0.0', 4, 'ipv4'],
    ['ff00::', 8, 'ipv6'],
  ],
  reserved: [
    ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
    ['192.0.2.0', 24, 'ipv4'], // documentation
    ['198.18.0.0', 15, 'ipv4'], // benchmarking
    ['198.51.100.0', 24, 'ipv4'], // documentation
    ['203.0.113.0', 24, 'ipv4'], // documentation
    ['240.0.0.0', 4, 'ipv4'], // future use, and the broadcast address
    ['::', 96, 'ipv6'], // IPv4-compatible (deprecated): ::a.b.c.d
    ['100::', 64, 'ipv6'], // discard-only
    ['2001::', 23, 'ipv6'], // IETF protocol assignments, Teredo (tunnels to any IPv4 address) among them
    ['2001:db8::', 32, 'ipv6'], // documentation
    ['2002::', 16, 'ipv6'], // 6to4: tunnels to the IPv4 address inside, private ones included
    ['64:ff9b::', 96, 'ipv6'], // NAT64: an IPv4 address inside, translated by whatever gateway is near
  ],
};

const lists = Object.entries(RANGES).map(([addressClass, ranges]) => {
  const list = new BlockList();
  for (const [address, prefix, family] of ranges) list.addSubnet(address, prefix, family);
  return [addressClass as AddressClass, list] as const;
});

/** What kind of address an IP address (v4 or v6, without brackets) is; undefined when it is not one. */
export function classifyAddress(address: string): AddressClass | undefined {
  // A zone (fe80::1%eth0) only ever goes with link-local addresses; it names an interface of this host.
  const [bare = '', zone] = address.split('%');
  const family = isIP(bare);
  if (family === 0) return undefined;
  if (zone !== undefined) return 'link-local';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  // Most specific first: ::1 and :: are in ::/96 too, and 0.0.0.0 is unspecified before anything else.
  for (const [addressClass, list] of lists) if (list.check(bare, type)) return addressClass;
  return 'public';
}

/** What a deployment lets subscriber URLs be: in AWS only HTTPS to public addresses; locally loopback too. */
export interface SubscriberAddressPolicy {
  /** http: as well as https: (the local product only, so tests can receive on http://127.0.0.1). */
  allowHttp: boolean;
  /** Loopback addresses (127.0.0.0/8, ::1, localhost) as well as public ones (the local product only). */
  allowLoopback: boolean;
}

export const AWS_SUBSCRIBER_POLICY: SubscriberAddressPolicy = { allowHttp: false, allowLoopback: false };
export const LOCAL_SUBSCRIBER_POLICY: SubscriberAddressPolicy = { allowHttp: true, allowLoopback: true };

/** Why an address may not be delivered to, or undefined when it may. */
export function addressRefusal(address: string, policy: SubscriberAddressPolicy): string | undefined {
  const addressClass = classifyAddress(address);
  if (addressClass === undefined) return `${address} is not an IP address`;
  if (addressClass === 'public' || (addressClass === 'loopback' && policy.allowLoopback)) return undefined;
  return `${address} is a ${addressClass} address, which webhooks may not be sent to`;
}

/**
 * Why a subscriber URL may not be used, before any DNS lookup, or undefined when it may be resolved and
 * delivered to: its scheme, credentials in it, and a host that is an IP literal or a name that is loopback by
 * definition (RFC 6761: localhost and *.localhost). A name's addresses are checked after resolution.
 */
export function urlRefusal(url: string, policy: SubscriberAddressPolicy): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'https:' && !(policy.allowHttp && parsed.protocol === 'http:')) {
    return policy.allowHttp ? 'must be an http or https URL' : 'must be an https URL';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry a user name or password';
  if (parsed.hash !== '') return 'must not have a fragment';
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) {
    const refusal = addressRefusal(host, policy);
    return refusal && `points at ${refusal.replace(`${host} is `, '')}`;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return policy.allowLoopback ? undefined : 'points at a loopback address, which webhooks may not be sent to';
  }
  return undefined;
}

/** The host to resolve, or undefined when the URL's host is an IP literal (checked by urlRefusal already). */
export function hostToResolve(url: string): string | undefined {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) === 0 ? host : undefined;
}
