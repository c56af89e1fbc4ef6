import type { Command } from "commander";

interface DeadLettersOptions {
  adminUrl?: string;
  namespace: string;
  kubeconfig?: string;
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

/** Where the runtime's admin API is: its port directly, or its Service through the API server. */
type AdminCall = <T>(method: string, path: string) => Promise<T>;

/**
 * `switchboard deadletters list|show|replay|discard <integration>` through the API server's proxy to
 * the Integration's metrics port (a cluster, or local mode), or `--admin-url` for a runtime's admin
 * port reached directly.
 */
export function deadLettersCommand(program: Command): void {
  const command = program
    .command("deadletters")
    .description("List, show, replay or discard the dead letters of a running runtime")
    .option("--admin-url <url>", "a runtime's admin port, reached directly (then no <integration>)")
    .option("-n, --namespace <namespace>", "the Integration's namespace", "default")
    .option(
      "--kubeconfig <file>",
      "kubeconfig (default: $KUBECONFIG, then .switchboard/kubeconfig, then ~/.kube/config)",
    )
    .option("-o, --output <format>", "table or json", "table")
    .option("--limit <n>", "how many to list", "100")
    .addHelpText(
      "after",
      `
Examples:
  switchboard deadletters list github -n team-a
  switchboard deadletters show github 42 -n team-a
  switchboard deadletters replay github 42 43 -n team-a
  switchboard deadletters discard github 44 -n team-a
  switchboard deadletters list --admin-url http://127.0.0.1:9090   # a runtime's admin port`,
    );
  const options = (): DeadLettersOptions => {
    const given = command.opts<DeadLettersOptions>();
    if (given.output !== "table" && given.output !== "json")
      throw new Error(`--output must be table or json, not "${String(given.output)}"`);
    return given;
  };
  /** The admin API and the ids: `<integration> <ids...>`, or only ids with --admin-url. */
  const target = async (args: string[]): Promise<{ call: AdminCall; ids: string[] }> => {
    const { adminUrl, namespace, kubeconfig } = options();
    if (adminUrl) return { call: (method, path) => direct(adminUrl, method, path), ids: args };
    const [integration, ...ids] = args;
    if (!integration)
      throw new Error(
        "name the Integration (switchboard deadletters list <integration>), or pass --admin-url",
      );
    const { loadKubeConfig } = await import("../../tools/kube/load-kube-config.js");
    const { KubeClient } = await import("../../operator/kube/kube-client.js");
    const client = new KubeClient(loadKubeConfig(kubeconfig));
    const proxy = `/api/v1/namespaces/${namespace}/services/${integration}:metrics/proxy`;
    return {
      ids,
      call: async <T>(method: string, path: string): Promise<T> => {
        const response = await client.raw(method, `${proxy}${path}`);
        return answer<T>(
          response.status,
          response.body,
          method,
          `Integration ${namespace}/${integration}: ${path}`,
        );
      },
    };
  };
  command
    .command("list [integration]")
    .description("List dead letters: id, flow, event type, attempts, last error")
    .action(async (integration: string | undefined) => {
      const { output, limit } = options();
      const { call } = await target(integration ? [integration] : []);
      const body = await call<{ items: DeadLetter[]; counts: Record<string, number> }>(
        "GET",
        `/deadletters?limit=${encodeURIComponent(limit)}`,
      );
      if (output === "json") return print(JSON.stringify(body, null, 2));
      if (body.items.length === 0) return print("no dead letters");
      print(table(body.items));
    });
  command
    .command("show <integration-and-id...>")
    .description("Show one dead letter with its payload")
    .action(async (args: string[]) => {
      const { call, ids } = await target(args);
      for (const id of ids)
        print(JSON.stringify(await call("GET", `/deadletters/${identifier(id)}`), null, 2));
    });
  for (const [verb, method, suffix, done] of [
    ["replay", "POST", "/replay", "replayed"],
    ["discard", "DELETE", "", "discarded"],
  ] as const) {
    command
      .command(`${verb} <integration-and-ids...>`)
      .description(
        verb === "replay" ? "Deliver dead letters again, attempts reset" : "Drop dead letters for good",
      )
      .action(async (args: string[]) => {
        const { call, ids } = await target(args);
        if (ids.length === 0)
          throw new Error(`name the dead letters to ${verb} by id (deadletters list shows them)`);
        for (const id of ids) {
          await call(method, `/deadletters/${identifier(id)}${suffix}`);
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

async function direct<T>(adminUrl: string, method: string, path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${adminUrl.replace(/\/+$/, "")}${path}`, { method });
  } catch (error) {
    throw new Error(
      `cannot reach the runtime's admin port at ${adminUrl} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}): start it, or kubectl port-forward to it, or pass --admin-url`,
      { cause: error },
    );
  }
  return answer<T>(response.status, await response.text(), method, path);
}

function answer<T>(status: number, text: string, method: string, where: string): T {
  if (status < 200 || status >= 300) {
    let message = text;
    try {
      const body = JSON.parse(text || "{}") as { error?: string; message?: string };
      message = body.error ?? body.message ?? text;
    } catch {
      // Not JSON: the text as it is.
    }
    throw new Error(`${method} ${where}: ${status} ${message}`);
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
