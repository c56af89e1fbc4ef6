const levels: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};
const quiet = new Set(["level", "time", "pid", "hostname", "name", "msg", "namespace", "integration"]);

/**
 * A runtime's log line as dev mode prints it: `<prefix> | {pino JSON}` becomes
 * `<prefix> | info runtime started port=43121`, other lines stay as they are.
 */
export function formatRuntimeLine(line: string): string {
  const bar = line.indexOf(" | ");
  const json = bar === -1 ? "" : line.slice(bar + 3);
  if (!json.startsWith("{")) return line;
  try {
    const entry = JSON.parse(json) as Record<string, unknown>;
    const meta = entry.metadata as { log_name?: unknown } | undefined;
    if (meta?.log_name === "audit")
      return `${line.slice(0, bar)} | audit ${typeof entry.message === "string" ? entry.message : ""}`;
    const fields = Object.entries(entry)
      .filter(([key]) => !quiet.has(key))
      .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
    const level = levels[Number(entry.level)] ?? String(entry.level);
    return `${line.slice(0, bar)} | ${level} ${typeof entry.msg === "string" ? entry.msg : ""}${fields.length ? ` ${fields.join(" ")}` : ""}`;
  } catch {
    return line;
  }
}
