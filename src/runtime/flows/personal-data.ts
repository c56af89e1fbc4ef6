/** Fields to take out of events before they leave the cluster, as IntegrationPolicies' `personalData` rules give them. */
export interface PersonalDataRules {
  /** Dotted paths whose values become `[REDACTED]`. */
  redact: string[];
  /** Dotted paths removed. */
  drop: string[];
}

export const redacted = "[REDACTED]";

/**
 * A function that copies a JSON value without the fields the rules name: `*` matches one segment,
 * `**` any number of them (none included); array elements share their array's path. The value given
 * is never changed.
 */
export function personalDataMinimizer(rules: PersonalDataRules): (value: unknown) => unknown {
  const drop = rules.drop.map((p) => p.split("."));
  const redact = rules.redact.map((p) => p.split("."));
  if (drop.length === 0 && redact.length === 0) return (value) => value;
  const walk = (value: unknown, path: string[]): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, path));
    if (!value || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const childPath = [...path, key];
      if (drop.some((pattern) => matches(pattern, childPath))) continue;
      out[key] = redact.some((pattern) => matches(pattern, childPath)) ? redacted : walk(child, childPath);
    }
    return out;
  };
  return (value) => walk(value, []);
}

function matches(pattern: readonly string[], path: readonly string[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...rest] = pattern;
  if (head === "**") return matches(rest, path) || (path.length > 0 && matches(pattern, path.slice(1)));
  if (path.length === 0) return false;
  return (head === "*" || head === path[0]) && matches(rest, path.slice(1));
}
