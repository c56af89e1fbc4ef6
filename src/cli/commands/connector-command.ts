import { fileURLToPath } from "node:url";
import type { Command } from "commander";

interface TestOptions {
  credential?: string;
  config: string[];
  input?: string;
  namespace: string;
  kubeconfig?: string;
  catalog: string | false;
  allowPrivateNetworks?: boolean;
  allowInsecureHttp?: boolean;
  timeout: string;
  output: string;
}

const packagedCatalog = fileURLToPath(new URL("../../../connectors", import.meta.url));

/** `switchboard connector test`: the connector's health check with real credentials. */
export function connectorCommand(program: Command): void {
  const connector = program.command("connector").description("Work with connectors");
  connector
    .command("test <connector>")
    .description(
      "Run a connector's health check (test connection) with real credentials: latency, auth result, rate-limit headers",
    )
    .option(
      "--credential <file-or-name>",
      "a file with a Credential and its Secret, or a Credential in the cluster",
    )
    .option(
      "--config <key=value>",
      "connector configuration; repeatable",
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option("--input <json>", "input of the health check action, when it takes some")
    .option("-n, --namespace <namespace>", "namespace of a Credential named in the cluster", "default")
    .option("--kubeconfig <file>", "kubeconfig, for a Credential named in the cluster")
    .option("--catalog <dir>", "where connectors named (not files) are looked up", packagedCatalog)
    .option("--no-catalog", "only files")
    .option("--allow-private-networks", "allow private and loopback addresses (a vendor on this machine)")
    .option("--allow-insecure-http", "allow http:// URLs")
    .option("--timeout <ms>", "per request", "10000")
    .option("-o, --output <format>", "text or json", "text")
    .addHelpText(
      "after",
      `
Examples:
  switchboard connector test github --credential github-credential.yaml
  switchboard connector test jira-cloud --credential jira -n team-a --config site=acme
  switchboard connector test ./my-connector.yaml --credential ./creds.yaml -o json`,
    )
    .action(async (reference: string, options: TestOptions) => {
      const { loadConnector, loadCredential } =
        await import("../../tools/connector-test/load-test-inputs.js");
      const { runHealthCheck } = await import("../../tools/connector-test/run-health-check.js");
      if (options.output !== "text" && options.output !== "json")
        throw new Error(`--output must be text or json, not "${options.output}"`);
      const config: Record<string, unknown> = {};
      for (const pair of options.config) {
        const equals = pair.indexOf("=");
        if (equals < 1) throw new Error(`--config "${pair}": write it as key=value`);
        config[pair.slice(0, equals)] = pair.slice(equals + 1);
      }
      let input: unknown;
      if (options.input) {
        try {
          input = JSON.parse(options.input);
        } catch (error) {
          throw new Error(`--input: not JSON (${(error as Error).message})`, { cause: error });
        }
      }
      const found = await loadConnector(reference, options.catalog || undefined);
      const credential = options.credential
        ? await loadCredential(options.credential, async () => {
            const { loadKubeConfig } = await import("../../tools/kube/load-kube-config.js");
            const { KubeClient } = await import("../../operator/kube/kube-client.js");
            return {
              client: new KubeClient(loadKubeConfig(options.kubeconfig)),
              namespace: options.namespace,
            };
          })
        : undefined;
      const report = await runHealthCheck({
        connectorName: found.name,
        connector: found.spec,
        credential: credential?.spec,
        secretValues: credential?.values ?? new Map<string, string>(),
        config,
        ...(input !== undefined ? { input } : {}),
        allowPrivateNetworks: options.allowPrivateNetworks ?? false,
        allowInsecureHTTP: options.allowInsecureHttp ?? false,
        timeoutMs: Number(options.timeout),
      });
      if (options.output === "json") process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const lines = [
          `${report.ok ? "ok" : "FAILED"}  ${report.connector} ${report.action}: ${report.status ?? "no answer"} in ${report.latencyMs} ms`,
          `auth        ${report.auth}${report.tokenRequests.length ? ` (token requests: ${report.tokenRequests.map((t) => `${t.scheme} ${t.ok ? "granted" : "refused"}`).join(", ")})` : ""}`,
          `rate limit  ${
            Object.entries(report.rateLimit)
              .map(([k, v]) => `${k}: ${v}`)
              .join(", ") || "no headers"
          }`,
          ...(report.error ? [`error       ${report.error}`] : []),
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      }
      if (!report.ok) process.exitCode = 1;
    });
}
