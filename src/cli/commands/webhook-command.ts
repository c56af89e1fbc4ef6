import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { ServeWebhookOptions as ServeOptions } from "../serve-webhook.js";

interface SendOptions {
  namespace: string;
  kubeconfig?: string;
  event: string;
  file?: string;
  url?: string;
  unsigned?: boolean;
  badSignature?: boolean;
  deliveryId?: string;
  header: string[];
}

/** `switchboard webhook send`: a delivery signed as the vendor signs it, sent to an Integration. */
export function webhookCommand(program: Command): Command {
  const webhook = program
    .command("webhook")
    .description("The admission webhook (serve), and test webhooks sent to Integrations (send)");
  webhook
    .command("serve", { isDefault: true })
    .description(
      "Serve the admission webhook: AdmissionReview v1 over HTTPS for Switchboard's kinds (schema, semantics, IntegrationPolicies)",
    )
    .option("--port <port>", "HTTPS port of POST /validate", "9443")
    .option(
      "--cert-dir <dir>",
      "tls.crt and tls.key, re-read when they change",
      "/etc/switchboard/webhook-tls",
    )
    .option("--health-port <port>", "/healthz, /readyz and /metrics over HTTP", "8081")
    .option("--kubeconfig <file>", "kubeconfig (default: in-cluster, then $KUBECONFIG, then ~/.kube/config)")
    .option("--audit-log <file>", "where audit events go, one JSON line each; - for stdout", "-")
    .option("--audit-url <url>", "also POST audit events here, in batches")
    .addHelpText(
      "after",
      `
The process's own logs go to stderr; audit events (OCSF API Activity) to --audit-log.

Examples:
  switchboard webhook serve --cert-dir /etc/switchboard/webhook-tls
  switchboard webhook serve --kubeconfig .switchboard/kubeconfig --cert-dir ./tls --port 9443 --audit-log audit.jsonl`,
    )
    .action(async (options: ServeOptions) => {
      const { serveWebhook } = await import("../serve-webhook.js");
      await serveWebhook(options);
    });
  webhook
    .command("send <integration>")
    .description(
      "Sign a payload with the Integration's verification scheme and secret, as the vendor would, and send it; prints the response",
    )
    .requiredOption("--event <type>", "the event type, e.g. issues.opened")
    .option("--file <payload.json>", "the payload (default: the connector's sample for the event)")
    .option("-n, --namespace <namespace>", "the Integration's namespace", "default")
    .option(
      "--kubeconfig <file>",
      "kubeconfig (default: $KUBECONFIG, then .switchboard/kubeconfig, then ~/.kube/config)",
    )
    .option("--url <url>", "send here instead of through the API server's proxy to the Integration's Service")
    .option("--unsigned", "send without a signature (the runtime answers 401)")
    .option("--bad-signature", "sign with a wrong secret (the runtime answers 401)")
    .option(
      "--delivery-id <id>",
      "the sender's delivery id (default: a new one; the same id twice is a duplicate)",
    )
    .option(
      "-H, --header <name:value>",
      "an extra header; repeatable",
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .addHelpText(
      "after",
      `
Examples:
  switchboard webhook send github-issues --event issues.opened
  switchboard webhook send github-issues --event issues.opened --file issue.json -n team-a
  switchboard webhook send github-issues --event push --bad-signature     # expect 401
  switchboard webhook send tickets --event ticket.escalated --url http://127.0.0.1:8080/webhook`,
    )
    .action(async (name: string, options: SendOptions) => {
      const { loadKubeConfig } = await import("../../tools/kube/load-kube-config.js");
      const { KubeClient } = await import("../../operator/kube/kube-client.js");
      const { loadIntegrationContext } = await import("../../tools/kube/integration-context.js");
      const { buildDelivery } = await import("../../tools/webhook/webhook-delivery.js");
      const { signWebhook, withQueryToken } = await import("../../tools/webhook/sign-webhook.js");
      if (options.unsigned && options.badSignature)
        throw new Error("--unsigned and --bad-signature: pick one");
      const client = new KubeClient(loadKubeConfig(options.kubeconfig));
      const context = await loadIntegrationContext(client, options.namespace, name);
      const { connector } = context.config;
      let payload: unknown;
      if (options.file) {
        const text = await readFile(options.file, "utf8").catch((error: NodeJS.ErrnoException) => {
          throw new Error(
            `--file ${options.file}: ${error.code === "ENOENT" ? "no such file" : error.message}`,
          );
        });
        try {
          payload = JSON.parse(text);
        } catch (error) {
          throw new Error(`--file ${options.file}: not JSON (${(error as Error).message})`, { cause: error });
        }
      }
      const delivery = buildDelivery({
        connectorName: connector.name,
        connector: connector.spec,
        eventType: options.event,
        ...(payload !== undefined ? { payload } : {}),
        ...(options.deliveryId ? { deliveryId: options.deliveryId } : {}),
      });
      const path = context.integration.spec.webhook?.path ?? "/webhook";
      const proxyPath = `/api/v1/namespaces/${options.namespace}/services/${name}:http/proxy${path}`;
      let url = options.url ?? `http://${name}.${options.namespace}.svc${path}`;
      const verification = connector.spec.webhook?.verification ?? { scheme: "none" };
      const headers = { ...delivery.headers };
      for (const header of options.header) {
        const colon = header.indexOf(":");
        if (colon < 1) throw new Error(`--header "${header}": write it as name:value`);
        headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
      }
      let signedWith = "unsigned";
      if (!options.unsigned && verification.scheme !== "none") {
        const [secret] = await context.webhookSecrets();
        if (secret === undefined)
          throw new Error(
            `Integration ${options.namespace}/${name} has no webhook secret (spec.webhook.secretRef)`,
          );
        const key = options.badSignature ? `${secret}-wrong` : secret;
        url = withQueryToken(verification, key, url);
        Object.assign(
          headers,
          signWebhook(
            verification,
            key,
            { method: "POST", url, headers, body: delivery.body, deliveryId: delivery.deliveryId },
            new Date(),
          ),
        );
        signedWith = `${verification.scheme}${options.badSignature ? " with a wrong secret" : ""}`;
      }
      const search = new URL(url).search;
      process.stdout.write(
        `POST ${options.url ?? `${proxyPath}${search.replace(/=[^&]+/g, "=...")}`}\n` +
          `event ${delivery.eventType}, delivery ${delivery.deliveryId}, ${signedWith}\n`,
      );
      const response = options.url
        ? await fetch(url, { method: "POST", headers, body: delivery.body }).then(async (r) => ({
            status: r.status,
            body: await r.text(),
          }))
        : await client.raw("POST", `${proxyPath}${search}`, { headers, body: delivery.body });
      process.stdout.write(`${response.status}${response.body ? ` ${response.body.trim()}` : ""}\n`);
      if (response.status < 200 || response.status >= 300) process.exitCode = 1;
    });
  return webhook;
}
