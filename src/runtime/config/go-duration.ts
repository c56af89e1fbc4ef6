const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** A Go duration as the schema allows them (`30s`, `5m`, `1h30m`, `1.5s`, `250ms`) in milliseconds. */
export function parseGoDuration(text: string): number {
  const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text)
    throw new Error(`"${text}" is not a duration such as 30s, 5m or 1h30m`);
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * (units[unit ?? "s"] ?? 0), 0);
}
