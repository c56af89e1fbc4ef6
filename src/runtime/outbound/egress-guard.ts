import { lookup } from "node:dns";
import type { LookupAddress, LookupOptions } from "node:dns";
import { BlockList, isIP } from "node:net";

/** Where the runtime may connect: the connector's egress hosts and the Integration's allowed hosts. */
export interface EgressRules {
  /** Host names or globs: `api.github.com`, `*.example.com` (any subdomain). */
  hosts: readonly string[];
  /** Private, loopback and link-local addresses (an in-cluster sink). Metadata addresses stay refused. */
  allowPrivateNetworks: boolean;
  allowInsecureHTTP: boolean;
}

export class EgressDeniedError extends Error {
  readonly code = "EGRESS_DENIED";
  constructor(message: string) {
    super(message);
    this.name = "EgressDeniedError";
  }
}

// Cloud metadata endpoints: refused whatever the rules say (AWS, GCP, Azure, OpenStack; Alibaba; AWS IPv6).
const metadata = new BlockList();
metadata.addAddress("169.254.169.254");
metadata.addAddress("100.100.100.200");
metadata.addAddress("fd00:ec2::254", "ipv6");

const internal = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
] as const)
  internal.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
] as const)
  internal.addSubnet(network, prefix, "ipv6");

/** Why an address may not be dialled, or undefined when it may. */
export function addressRefusal(
  address: string,
  rules: Pick<EgressRules, "allowPrivateNetworks">,
): string | undefined {
  const family = isIP(address) === 6 ? "ipv6" : "ipv4";
  if (metadata.check(address, family)) return `${address} is a cloud metadata address`;
  if (!rules.allowPrivateNetworks && internal.check(address, family))
    return `${address} is a private, loopback or link-local address (spec.egress.allowPrivateNetworks allows it)`;
  return undefined;
}

export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith("*.") ? name.endsWith(p.slice(1)) && name.length > p.length - 1 : name === p;
  });
}

/** Checks a URL before any connection: scheme and host. Addresses are checked at connect time. */
export function checkURL(url: URL, rules: EgressRules): void {
  if (url.protocol !== "https:" && !(url.protocol === "http:" && rules.allowInsecureHTTP))
    throw new EgressDeniedError(
      `${url.protocol}//${url.host} is refused: only https${url.protocol === "http:" ? " (spec.egress.allowInsecureHTTP allows http)" : ""}`,
    );
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!hostAllowed(host, rules.hosts))
    throw new EgressDeniedError(
      `${host} is not among the connector's egress hosts or spec.egress.allowedHosts (${rules.hosts.join(", ") || "none"})`,
    );
  if (isIP(host)) {
    const refusal = addressRefusal(host, rules);
    if (refusal) throw new EgressDeniedError(refusal);
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for sockets that resolves as usual, then refuses the connection when any address the
 * name resolves to is refused: a name cannot be pointed at the metadata service or the cluster's
 * insides after the URL was checked.
 */
export function guardedLookup(rules: Pick<EgressRules, "allowPrivateNetworks">) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const refusal = addressRefusal(address, rules);
        if (refusal) return callback(new EgressDeniedError(`${hostname} resolves to ${refusal}`), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}
