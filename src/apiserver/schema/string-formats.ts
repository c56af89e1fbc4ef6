/**
 * The string formats kube validates in CRD schemas (apiextensions-apiserver's supported formats, checked
 * by kube-openapi's strfmt registry). Other formats are stripped from the schema and never checked.
 */

/** Format names as go-openapi normalizes them (dashes removed: `date-time` is `datetime`). */
export function normalizeFormat(format: string): string {
  return format.replaceAll("-", "");
}

/** The check for a format on a string-typed (or untyped) schema; undefined when kube ignores the format. */
export function stringFormatCheck(format: string): ((value: string) => boolean) | undefined {
  return checks[normalizeFormat(format)];
}

/** Formats of integer and number schemas kube keeps (they only narrow the Go type). */
export const numericFormats: Record<string, readonly string[]> = {
  integer: ["int32", "int64"],
  number: ["float", "double"],
};

const uuid = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const uuid5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const hostname =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const quantity = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const dateTimeTime = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const goDuration = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const scalaDuration = /^\s*(?:\d+\s*[A-Za-zµ]+\s*)+$/;
const durationPart = /(\d+)\s*([A-Za-zµ]+)/g;
const durationUnits = [
  ["ns", "nano"],
  ["us", "µs", "micro"],
  ["ms", "milli"],
  ["s", "sec"],
  ["m", "min"],
  ["h", "hr", "hour"],
  ["d", "day"],
  ["w", "wk", "week"],
];

const checks: Record<string, (value: string) => boolean> = {
  bsonobjectid: (v) => /^[0-9a-fA-F]{24}$/.test(v),
  uri: isRequestUri,
  email: isEmail,
  hostname: (v) =>
    hostname.test(v) && Buffer.byteLength(v) <= 255 && v.split(".").every((p) => Buffer.byteLength(p) <= 63),
  ipv4: isIPv4,
  ipv6: isIPv6,
  cidr: isCidr,
  mac: (v) =>
    /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/.test(v) ||
    /^([0-9A-Fa-f]{2}[:-]){7}[0-9A-Fa-f]{2}$/.test(v) ||
    /^([0-9A-Fa-f]{2}[:-]){19}[0-9A-Fa-f]{2}$/.test(v) ||
    /^([0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}$/.test(v) ||
    /^([0-9A-Fa-f]{4}\.){3}[0-9A-Fa-f]{4}$/.test(v) ||
    /^([0-9A-Fa-f]{4}\.){9}[0-9A-Fa-f]{4}$/.test(v),
  uuid: (v) => uuid.test(v),
  uuid3: (v) => uuid3.test(v),
  uuid4: (v) => uuid4.test(v),
  uuid5: (v) => uuid5.test(v),
  isbn: (v) => isIsbn10(v) || isIsbn13(v),
  isbn10: isIsbn10,
  isbn13: isIsbn13,
  creditcard: isCreditCard,
  ssn: (v) => v.length === 11 && /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(v),
  hexcolor: (v) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(v),
  rgbcolor: (v) =>
    /^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$/.test(
      v,
    ),
  byte: (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(v),
  password: () => true,
  date: isDate,
  datetime: isDateTime,
  duration: isDuration,
  quantity: (v) => quantity.test(v) && !Number.isNaN(Number.parseFloat(v)),
  k8sshortname: (v) => v.length <= 63 && dns1123Label.test(v),
  k8slongname: (v) => v.length <= 253 && dns1123Subdomain.test(v),
};

/** RFC 3339 full-date, as Go's time.Parse("2006-01-02") accepts it (real calendar days only). */
export function isDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// strfmt.IsDateTime: a date, a `t`, and a time with seconds and a zone.
function isDateTime(value: string): boolean {
  if (value.length < 4) return false;
  const parts = value.toLowerCase().split("t");
  if (parts.length < 2 || !isDate(parts[0] ?? "")) return false;
  const match = dateTimeTime.exec(parts[1] ?? "");
  if (!match) return false;
  return (match[1] ?? "") <= "23" && (match[2] ?? "") <= "59" && (match[3] ?? "") <= "59";
}

function isDuration(value: string): boolean {
  if (value === "0" || goDuration.test(value)) return true;
  if (!scalaDuration.test(value)) return false;
  for (const [, , unitText = ""] of value.matchAll(durationPart)) {
    const unit = unitText.trim().toLowerCase();
    const known = durationUnits.some((variants) =>
      variants.some(
        (variant, i) => (i === variants.length - 1 && unit.startsWith(variant)) || variant === unit,
      ),
    );
    if (known) return true;
  }
  return false;
}

function isRequestUri(value: string): boolean {
  if (value.startsWith("/")) return !/\s/.test(value);
  try {
    const url = new URL(value);
    return url.protocol.length > 1 && !/\s/.test(value);
  } catch {
    return false;
  }
}

function isEmail(value: string): boolean {
  const address = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value;
  return /^[^\s@<>(),;:\\"[\]]+@[^\s@<>(),;:\\"[\]]+$/.test(address.trim());
}

function isIPv4(value: string): boolean {
  const parts = value.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIPv6(value: string): boolean {
  if (!value.includes(":")) return false;
  try {
    new URL(`http://[${value}]/`);
    return true;
  } catch {
    return false;
  }
}

function isCidr(value: string): boolean {
  const [address = "", prefix, extra] = value.split("/");
  if (prefix === undefined || extra !== undefined || !/^\d{1,3}$/.test(prefix)) return false;
  if (isIPv4(address)) return Number(prefix) <= 32;
  return isIPv6(address) && Number(prefix) <= 128;
}

function isIsbn10(value: string): boolean {
  const digits = value.replace(/[\s-]/g, "");
  if (!/^\d{9}[\dX]$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (i + 1) * (digits[i] === "X" ? 10 : Number(digits[i]));
  return sum % 11 === 0;
}

function isIsbn13(value: string): boolean {
  const digits = value.replace(/[\s-]/g, "");
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(digits[12]);
}

function isCreditCard(value: string): boolean {
  const digits = value.replace(/\D/g, "");
  if (
    !/^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|(222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)[0-9]{12}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11}|6[27][0-9]{14})$/.test(
      digits,
    )
  ) {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
