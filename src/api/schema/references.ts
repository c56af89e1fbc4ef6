import type { Schema } from "./schema-builders.js";
import { dnsSubdomain, string } from "./schema-builders.js";

/** The name of an object in the referring object's namespace. */
export function localName(description: string): Schema {
  return string(description, { pattern: dnsSubdomain, minLength: 1, maxLength: 253 });
}

/** A key in a Secret's `data`. */
export function secretKey(description: string, extra: Schema = {}): Schema {
  return string(description, { pattern: "^[-._a-zA-Z0-9]+$", minLength: 1, maxLength: 253, ...extra });
}
