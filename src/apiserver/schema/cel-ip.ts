/**
 * kube's CEL `ip()` and `cidr()` libraries (1.30+): addresses as BigInts with their family. Parsing is
 * strict as kube's is: no leading zeros in IPv4 octets, no zones, no IPv4-mapped IPv6 addresses.
 */
export class IpAddress {
  constructor(
    readonly family: 4 | 6,
    readonly value: bigint,
  ) {}

  static parse(text: string): IpAddress {
    const parsed = parseAddress(text);
    if (!parsed)
      throw new Error(
        `IP Address ${JSON.stringify(text)} parse error during conversion from string: ParseAddr(${JSON.stringify(text)}): unable to parse IP`,
      );
    return parsed;
  }

  get bits(): number {
    return this.family === 4 ? 32 : 128;
  }

  isUnspecified(): boolean {
    return this.value === 0n;
  }

  isLoopback(): boolean {
    return this.family === 4 ? this.value >> 24n === 127n : this.value === 1n;
  }

  isLinkLocalMulticast(): boolean {
    return this.family === 4 ? this.value >> 8n === 0xe00000n : this.value >> 112n === 0xff02n;
  }

  isLinkLocalUnicast(): boolean {
    return this.family === 4 ? this.value >> 16n === 0xa9fen : this.value >> 118n === 0x3fan;
  }

  isGlobalUnicast(): boolean {
    if (this.isUnspecified() || this.isLoopback() || this.isLinkLocalUnicast() || this.isLinkLocalMulticast())
      return false;
    if (this.family === 4) return this.value >> 28n !== 0xen && this.value !== 0xffffffffn;
    return this.value >> 120n !== 0xffn;
  }

  toString(): string {
    if (this.family === 4)
      return [24n, 16n, 8n, 0n].map((shift) => String((this.value >> shift) & 0xffn)).join(".");
    const groups = Array.from({ length: 8 }, (_, i) =>
      ((this.value >> BigInt(112 - i * 16)) & 0xffffn).toString(16),
    );
    // The longest run of two or more zero groups becomes `::`, as Go prints it.
    let best = { start: -1, length: 0 };
    for (let i = 0; i < 8;) {
      if (groups[i] !== "0") {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === "0") j++;
      if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
      i = j;
    }
    if (best.start < 0) return groups.join(":");
    return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.length).join(":")}`;
  }
}

export class Cidr {
  constructor(
    readonly address: IpAddress,
    readonly prefixLength: number,
  ) {}

  static parse(text: string): Cidr {
    const [address = "", prefix, extra] = text.split("/");
    const ip = parseAddress(address);
    const length = prefix !== undefined && /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
    if (!ip || extra !== undefined || length < 0 || length > ip.bits)
      throw new Error(
        `network address ${JSON.stringify(text)} parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(text)}): bad prefix`,
      );
    return new Cidr(ip, length);
  }

  private mask(): bigint {
    const bits = BigInt(this.address.bits);
    return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(this.prefixLength))) - 1n);
  }

  containsIp(ip: IpAddress): boolean {
    return (
      ip.family === this.address.family && (ip.value & this.mask()) === (this.address.value & this.mask())
    );
  }

  containsCidr(other: Cidr): boolean {
    return other.prefixLength >= this.prefixLength && this.containsIp(other.address);
  }

  masked(): Cidr {
    return new Cidr(new IpAddress(this.address.family, this.address.value & this.mask()), this.prefixLength);
  }

  toString(): string {
    return `${this.address.toString()}/${this.prefixLength}`;
  }
}

export function isIp(text: string): boolean {
  return parseAddress(text) !== undefined;
}

export function isCidr(text: string): boolean {
  try {
    Cidr.parse(text);
    return true;
  } catch {
    return false;
  }
}

function parseAddress(text: string): IpAddress | undefined {
  if (/^\d+(\.\d+){3}$/.test(text)) {
    const octets = text.split(".");
    if (octets.some((o) => (o.length > 1 && o.startsWith("0")) || Number(o) > 255)) return undefined;
    return new IpAddress(
      4,
      octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n),
    );
  }
  if (!text.includes(":") || text.includes("%") || /\d+\.\d+\.\d+\.\d+$/.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string): string[] => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0] ?? "");
  const tail = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return new IpAddress(
    6,
    groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n),
  );
}
