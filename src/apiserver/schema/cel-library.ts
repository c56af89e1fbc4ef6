import { Environment } from "@marcbachmann/cel-js";
import { Cidr, IpAddress, isCidr, isIp } from "./cel-ip.js";
import { Quantity } from "./cel-quantity.js";
import { KubeUrl } from "./cel-url.js";
import { goRegExp } from "./go-regexp.js";

/**
 * The CEL environment kube's CRD validation rules run in: cel-js's standard library plus the parts of
 * kube's libraries (k8s.io/apiserver/pkg/cel/library, cel-go ext) that cel-js lacks. Anything else a
 * rule calls is an unknown function, which the type check reports when the CRD is written.
 *
 * `matches()` is re-pointed at `matchesRe2()` when a rule compiles (see cel-rules.ts), because cel-js
 * runs the pattern as a JavaScript RegExp and kube runs it as RE2.
 */
const base = new Environment({
  unlistedVariablesAreDyn: false,
  // kube validates aggregate literals as homogeneous (cel.ValidateHomogeneousAggregateLiterals).
  homogeneousAggregateLiterals: true,
  enableOptionalTypes: true,
});

class SetsNamespace {}
class StringsNamespace {}

base
  .registerType("SetsNamespace", SetsNamespace)
  .registerConstant("sets", "SetsNamespace", new SetsNamespace())
  .registerType("StringsNamespace", StringsNamespace)
  .registerConstant("strings", "StringsNamespace", new StringsNamespace())
  .registerType("kubernetes.URL", KubeUrl)
  .registerType("kubernetes.Quantity", Quantity)
  .registerType("net.IP", IpAddress)
  .registerType("net.CIDR", Cidr);

// Regular expressions: RE2 semantics through the Go-to-JavaScript translation.
base
  .registerFunction("string.matchesRe2(string): bool", (s: string, re: string) => goRegExp(re).test(s))
  .registerFunction("matches(string, string): bool", (s: string, re: string) => goRegExp(re).test(s))
  .registerFunction("string.find(string): string", (s: string, re: string) => goRegExp(re).exec(s)?.[0] ?? "")
  .registerFunction("string.findAll(string): list<string>", (s: string, re: string) => findAll(s, re, -1n))
  .registerFunction("string.findAll(string, int): list<string>", findAll);

// cel-go ext strings (version 2, as kube enables it): what cel-js does not have.
base
  .registerFunction("string.charAt(int): string", (s: string, index: bigint) => {
    const chars = [...s];
    if (index < 0n || index > BigInt(chars.length)) throw new Error(`index out of range: ${index}`);
    return chars[Number(index)] ?? "";
  })
  .registerFunction("string.replace(string, string): string", (s: string, from: string, to: string) =>
    s.replaceAll(from, to),
  )
  .registerFunction(
    "string.replace(string, string, int): string",
    (s: string, from: string, to: string, n: bigint) => replaceN(s, from, to, n),
  )
  .registerFunction("string.format(list): string", format)
  .registerFunction("StringsNamespace.quote(string): string", (_: StringsNamespace, s: string) =>
    JSON.stringify(s),
  );

// kube's lists library.
base
  .registerFunction("list.isSorted(): bool", (list: unknown[]) =>
    list.every((item, i) => i === 0 || compare(list[i - 1], item) <= 0),
  )
  .registerFunction("list.sum(): dyn", (list: unknown[]) => {
    if (list.length === 0) return 0n;
    return list.reduce((total, item) => add(total, item));
  })
  .registerFunction("list.min(): dyn", (list: unknown[]) => extreme(list, -1, "min"))
  .registerFunction("list.max(): dyn", (list: unknown[]) => extreme(list, 1, "max"))
  .registerFunction("list.indexOf(dyn): int", (list: unknown[], value: unknown) =>
    BigInt(list.findIndex((item) => celEquals(item, value))),
  )
  .registerFunction("list.lastIndexOf(dyn): int", (list: unknown[], value: unknown) =>
    BigInt(list.findLastIndex((item) => celEquals(item, value))),
  );

// cel-go ext sets.
base
  .registerFunction(
    "SetsNamespace.contains(list, list): bool",
    (_: SetsNamespace, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEquals(x, y))),
  )
  .registerFunction(
    "SetsNamespace.equivalent(list, list): bool",
    (_: SetsNamespace, a: unknown[], b: unknown[]) =>
      b.every((x) => a.some((y) => celEquals(x, y))) && a.every((x) => b.some((y) => celEquals(x, y))),
  )
  .registerFunction(
    "SetsNamespace.intersects(list, list): bool",
    (_: SetsNamespace, a: unknown[], b: unknown[]) => a.some((x) => b.some((y) => celEquals(x, y))),
  );

// kube's URL library.
base
  .registerFunction("url(string): kubernetes.URL", (s: string) => {
    try {
      return KubeUrl.parse(s);
    } catch (error) {
      throw new Error(`URL parse error during conversion from string: ${(error as Error).message}`, {
        cause: error,
      });
    }
  })
  .registerFunction("isURL(string): bool", (s: string) => KubeUrl.isUrl(s))
  .registerFunction("kubernetes.URL.getScheme(): string", (u: KubeUrl) => u.scheme)
  .registerFunction("kubernetes.URL.getHost(): string", (u: KubeUrl) => u.host)
  .registerFunction("kubernetes.URL.getHostname(): string", (u: KubeUrl) => u.hostname)
  .registerFunction("kubernetes.URL.getPort(): string", (u: KubeUrl) => u.port)
  .registerFunction("kubernetes.URL.getEscapedPath(): string", (u: KubeUrl) => u.escapedPath)
  .registerFunction("kubernetes.URL.getQuery(): map<string, list<string>>", (u: KubeUrl) => u.queryValues());

// kube's quantity library.
const quantityOf = (s: string): Quantity => {
  try {
    return Quantity.parse(s);
  } catch (error) {
    throw new Error(`quantity parse error: ${(error as Error).message}`, { cause: error });
  }
};
base
  .registerFunction("quantity(string): kubernetes.Quantity", quantityOf)
  .registerFunction("isQuantity(string): bool", (s: string) => Quantity.isQuantity(s))
  .registerFunction("kubernetes.Quantity.sign(): int", (q: Quantity) => q.sign())
  .registerFunction("kubernetes.Quantity.isInteger(): bool", (q: Quantity) => q.isInteger())
  .registerFunction("kubernetes.Quantity.asInteger(): int", (q: Quantity) => {
    if (!q.isInteger()) throw new Error("cannot convert value to integer");
    return q.numerator;
  })
  .registerFunction("kubernetes.Quantity.asApproximateFloat(): double", (q: Quantity) =>
    q.asApproximateFloat(),
  )
  .registerFunction("kubernetes.Quantity.compareTo(kubernetes.Quantity): int", (a: Quantity, b: Quantity) =>
    a.compareTo(b),
  )
  .registerFunction(
    "kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool",
    (a: Quantity, b: Quantity) => a.compareTo(b) > 0n,
  )
  .registerFunction(
    "kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool",
    (a: Quantity, b: Quantity) => a.compareTo(b) < 0n,
  )
  .registerFunction(
    "kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity",
    (a: Quantity, b: Quantity) => a.add(b),
  )
  .registerFunction("kubernetes.Quantity.add(int): kubernetes.Quantity", (a: Quantity, b: bigint) =>
    a.add(new Quantity(b, 1n)),
  )
  .registerFunction(
    "kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity",
    (a: Quantity, b: Quantity) => a.add(b.negate()),
  )
  .registerFunction("kubernetes.Quantity.sub(int): kubernetes.Quantity", (a: Quantity, b: bigint) =>
    a.add(new Quantity(-b, 1n)),
  );

// kube's IP and CIDR libraries.
base
  .registerFunction("ip(string): net.IP", (s: string) => IpAddress.parse(s))
  .registerFunction("isIP(string): bool", (s: string) => isIp(s))
  .registerFunction("net.IP.family(): int", (ip: IpAddress) => BigInt(ip.family))
  .registerFunction("net.IP.isUnspecified(): bool", (ip: IpAddress) => ip.isUnspecified())
  .registerFunction("net.IP.isLoopback(): bool", (ip: IpAddress) => ip.isLoopback())
  .registerFunction("net.IP.isLinkLocalMulticast(): bool", (ip: IpAddress) => ip.isLinkLocalMulticast())
  .registerFunction("net.IP.isLinkLocalUnicast(): bool", (ip: IpAddress) => ip.isLinkLocalUnicast())
  .registerFunction("net.IP.isGlobalUnicast(): bool", (ip: IpAddress) => ip.isGlobalUnicast())
  .registerFunction("string(net.IP): string", (ip: IpAddress) => ip.toString())
  .registerFunction("cidr(string): net.CIDR", (s: string) => Cidr.parse(s))
  .registerFunction("isCIDR(string): bool", (s: string) => isCidr(s))
  .registerFunction("net.CIDR.containsIP(net.IP): bool", (c: Cidr, ip: IpAddress) => c.containsIp(ip))
  .registerFunction("net.CIDR.containsIP(string): bool", (c: Cidr, s: string) =>
    c.containsIp(IpAddress.parse(s)),
  )
  .registerFunction("net.CIDR.containsCIDR(net.CIDR): bool", (c: Cidr, o: Cidr) => c.containsCidr(o))
  .registerFunction("net.CIDR.containsCIDR(string): bool", (c: Cidr, s: string) =>
    c.containsCidr(Cidr.parse(s)),
  )
  .registerFunction("net.CIDR.ip(): net.IP", (c: Cidr) => c.address)
  .registerFunction("net.CIDR.masked(): net.CIDR", (c: Cidr) => c.masked())
  .registerFunction("net.CIDR.prefixLength(): int", (c: Cidr) => BigInt(c.prefixLength))
  .registerFunction("string(net.CIDR): string", (c: Cidr) => c.toString());

const durationProgram = base.clone().registerVariable("text", "string").parse("duration(text)");

/** Where admission webhooks' `matchConditions` run: the object, the old object and the request. */
export const admissionEnvironment = base
  .clone()
  .registerVariable("object", "dyn")
  .registerVariable("oldObject", "dyn")
  .registerVariable("request", "dyn");

/** Where rules run: `self` and `oldSelf` of any type. */
export const ruleEnvironment = base
  .clone()
  .registerVariable("self", "dyn")
  .registerVariable("oldSelf", "dyn");

/** Where rules with `optionalOldSelf: true` run: `oldSelf` is an optional, none on create. */
export const optionalOldSelfEnvironment = base
  .clone()
  .registerVariable("self", "dyn")
  .registerVariable("oldSelf", "optional<dyn>");

/** A `format: duration` string as a CEL duration, or undefined when it is not one CEL can read. */
export function celDuration(text: string): unknown {
  try {
    return durationProgram({ text }) as unknown;
  } catch {
    return undefined;
  }
}

function findAll(s: string, re: string, limit: bigint): string[] {
  if (limit === 0n) return [];
  const global = new RegExp(goRegExp(re).source, `${goRegExp(re).flags}g`);
  const found: string[] = [];
  for (const match of s.matchAll(global)) {
    found.push(match[0]);
    if (limit > 0n && BigInt(found.length) >= limit) break;
  }
  return found;
}

function replaceN(s: string, from: string, to: string, n: bigint): string {
  if (n < 0n) return s.replaceAll(from, to);
  let out = s;
  let position = 0;
  for (let i = 0n; i < n; i++) {
    const at = out.indexOf(from, position);
    if (at < 0) break;
    out = out.slice(0, at) + to + out.slice(at + from.length);
    position = at + to.length + (from === "" ? 1 : 0);
  }
  return out;
}

// cel-go's string.format: the verbs kube rules use.
function format(template: string, args: unknown[]): string {
  let next = 0;
  return template.replace(
    /%(\.(\d+))?([sdfeExXobv%])/g,
    (_match, _p: string, precision: string | undefined, verb: string) => {
      if (verb === "%") return "%";
      if (next >= args.length) throw new Error(`index ${next} out of range`);
      const value = args[next++];
      const digits = precision === undefined ? 6 : Number(precision);
      switch (verb) {
        case "s":
        case "v":
          return stringOf(value);
        case "d":
          if (typeof value !== "bigint")
            throw new Error(
              `error during formatting: decimal clause can only be used on integers, was given ${typeName(value)}`,
            );
          return String(value);
        case "f":
          return Number(value).toFixed(digits);
        case "e":
        case "E": {
          const text = Number(value)
            .toExponential(digits)
            .replace(/e([+-])(\d)$/, "e$10$2");
          return verb === "E" ? text.toUpperCase() : text;
        }
        case "x":
        case "X": {
          const text =
            typeof value === "string" ? Buffer.from(value).toString("hex") : (value as bigint).toString(16);
          return verb === "X" ? text.toUpperCase() : text;
        }
        case "o":
          return (value as bigint).toString(8);
        case "b":
          return typeof value === "boolean" ? String(value) : (value as bigint).toString(2);
        default:
          return stringOf(value);
      }
    },
  );
}

function stringOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stringOf).join(", ")}]`;
  if (value instanceof Date) return value.toISOString().replace(".000Z", "Z");
  if (value && typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${stringOf(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

function typeName(value: unknown): string {
  if (typeof value === "bigint") return "int";
  if (typeof value === "number") return "double";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "list";
  return value === null ? "null_type" : "map";
}

function numeric(value: unknown): number | bigint | undefined {
  return typeof value === "bigint" || typeof value === "number" ? value : undefined;
}

/** CEL ordering for list elements: numbers across int and double, strings, booleans, timestamps. */
function compare(a: unknown, b: unknown): number {
  const [x, y] = [numeric(a), numeric(b)];
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  throw new Error("no such overload");
}

function add(a: unknown, b: unknown): unknown {
  if (typeof a === "bigint" && typeof b === "bigint") return a + b;
  if (typeof a === "number" && typeof b === "number") return a + b;
  throw new Error("no such overload");
}

function extreme(list: unknown[], direction: 1 | -1, name: string): unknown {
  if (list.length === 0) throw new Error(`${name} called on empty list`);
  return list.reduce((best, item) => (compare(item, best) * direction > 0 ? item : best));
}

function celEquals(a: unknown, b: unknown): boolean {
  const [x, y] = [numeric(a), numeric(b)];
  if (x !== undefined && y !== undefined) return x == y;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => celEquals(v, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => celEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return a === b;
}
