/**
 * Kubernetes resource quantities for CEL (kube's `quantity()` library): exact values as a fraction
 * of BigInts, so `quantity("1Gi").compareTo(quantity("1024Mi")) == 0` holds as it does in kube.
 */

const binary: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const decimal: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const syntax = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export class Quantity {
  constructor(
    /** The value is numerator / denominator, denominator > 0. */
    readonly numerator: bigint,
    readonly denominator: bigint,
  ) {}

  static parse(text: string): Quantity {
    const match = syntax.exec(text);
    if (!match)
      throw new Error(
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      );
    const [, number = "", suffix = ""] = match;
    const [whole = "", fraction = ""] = number.replace(/^[+-]/, "").split(".");
    let numerator = BigInt((whole || "0") + fraction) * (number.startsWith("-") ? -1n : 1n);
    let denominator = 10n ** BigInt(fraction.length);
    const binaryFactor = binary[suffix];
    if (binaryFactor !== undefined) numerator *= binaryFactor;
    else {
      const exponent = /^[eE]/.test(suffix) ? Number(suffix.slice(1)) : (decimal[suffix] ?? 0);
      if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
      else denominator *= 10n ** BigInt(-exponent);
    }
    return new Quantity(numerator, denominator).reduced();
  }

  static isQuantity(text: string): boolean {
    return syntax.test(text);
  }

  reduced(): Quantity {
    const divisor = gcd(abs(this.numerator), this.denominator) || 1n;
    return new Quantity(this.numerator / divisor, this.denominator / divisor);
  }

  compareTo(other: Quantity): bigint {
    const left = this.numerator * other.denominator;
    const right = other.numerator * this.denominator;
    return left < right ? -1n : left > right ? 1n : 0n;
  }

  add(other: Quantity): Quantity {
    return new Quantity(
      this.numerator * other.denominator + other.numerator * this.denominator,
      this.denominator * other.denominator,
    ).reduced();
  }

  negate(): Quantity {
    return new Quantity(-this.numerator, this.denominator);
  }

  isInteger(): boolean {
    return this.denominator === 1n && this.numerator >= -(2n ** 63n) && this.numerator < 2n ** 63n;
  }

  sign(): bigint {
    return this.numerator < 0n ? -1n : this.numerator > 0n ? 1n : 0n;
  }

  asApproximateFloat(): number {
    return Number(this.numerator) / Number(this.denominator);
  }
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
