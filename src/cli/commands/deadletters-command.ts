import type { Command } from "commander";

interface DeadLettersOptions {
  adminUrl: string;
  output: "table" | "json";
  limit: string;
}

interface DeadLetter {
  id: number;
  flow: string;
  eventType: string;
  deliveryId?: string;
  attempts: number;
  receivedAt: string;
  lastError?: string;
}

/**
 * `switchboard deadletters list|show|replay|discard` against a runtime's admin port, directly or
 * through `kubectl port-forward`.
 */
export function deadLettersCommand(program: Command): void {
  const command = program
    .command("deadletters")
    .description("List, show, replay or discard the dead letters of a running runtime")
    .option("--admin-url <url>", "the runtime's admin port", "http://127.0.0.1:9090")
    .option("-o, --output <format>", "table or json", "table")
    .option("--limit <n>", "how many to list", "100")
    .addHelpText(
      "after",
      `
Examples:
  kubectl port-forward -n team-a deploy/github 9090 &
  switchboard deadletters list
  switchboard deadletters show 42
  switchboard deadletters replay 42 43
  switchboard deadletters discard 44 --admin-url http://127.0.0.1:9091`,
    );
  const options = (): DeadLettersOptions => {
    const given = command.opts<DeadLettersOptions>();
    if (given.output !== "table" && given.output !== "json")
      throw new Error(`--output must be table or json, not "${String(given.output)}"`);
    return given;
  };
  command
    .command("list")
    .description("List dead letters: id, flow, event type, attempts, last error")
    .action(async () => {
      const { adminUrl, output, limit } = options();
      const body = await call<{ items: DeadLetter[]; counts: Record<string, number> }>(
        adminUrl,
        "GET",
        `/deadletters?limit=${encodeURIComponent(limit)}`,
      );
      if (output === "json") return print(JSON.stringify(body, null, 2));
      if (body.items.length === 0) return print("no dead letters");
      print(table(body.items));
    });
  command
    .command("show <id>")
    .description("Show one dead letter with its payload")
    .action(async (id: string) => {
      const { adminUrl } = options();
      print(JSON.stringify(await call(adminUrl, "GET", `/deadletters/${identifier(id)}`), null, 2));
    });
  for (const [verb, method, suffix, done] of [
    ["replay", "POST", "/replay", "replayed"],
    ["discard", "DELETE", "", "discarded"],
  ] as const) {
    command
      .command(`${verb} <ids...>`)
      .description(
        verb === "replay" ? "Deliver dead letters again, attempts reset" : "Drop dead letters for good",
      )
      .action(async (ids: string[]) => {
        const { adminUrl } = options();
        for (const id of ids) {
          await call(adminUrl, method, `/deadletters/${identifier(id)}${suffix}`);
          print(`${done} ${id}`);
        }
      });
  }
}

function identifier(id: string): number {
  if (!/^\d+$/.test(id))
    throw new Error(`"${id}" is not a dead letter id (a number, as \`deadletters list\` shows)`);
  return Number(id);
}

async function call<T>(adminUrl: string, method: string, path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${adminUrl.replace(/\/+$/, "")}${path}`, { method });
  } catch (error) {
    throw new Error(
      `cannot reach the runtime's admin port at ${adminUrl} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}): start it, or kubectl port-forward to it, or pass --admin-url`,
      { cause: error },
    );
  }
  const text = await response.text();
  if (!response.ok) {
    const message = (JSON.parse(text || "{}") as { error?: string }).error ?? text;
    throw new Error(`${method} ${path}: ${response.status} ${message}`);
  }
  return JSON.parse(text) as T;
}

function table(items: DeadLetter[]): string {
  const rows = [
    ["ID", "FLOW", "EVENT", "ATTEMPTS", "RECEIVED", "LAST ERROR"],
    ...items.map((d) => [
      String(d.id),
      d.flow,
      d.eventType,
      String(d.attempts),
      d.receivedAt,
      d.lastError ?? "",
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("   "))
    .join("\n");
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
