import { randomUUID } from "node:crypto";
import { Agent, request } from "undici";
import type { KubeObject } from "../types.js";
import type { AdmissionAttributes, WebhookSpec } from "./webhook-matching.js";

export interface WebhookAnswer {
  allowed: boolean;
  status?: { code?: number; reason?: string; message?: string };
  warnings?: string[];
  patch?: string;
  patchType?: string;
}

/** Where a webhook is reached: its URL, or its Service's address on this machine (local mode). */
export type ServiceAddress = (namespace: string, name: string, port: number) => string | undefined;

const agents = new Map<string, Agent>();

/** An agent per CA bundle and server name: connections are kept between reviews, as kube-apiserver keeps them. */
function agentFor(caBundle: string | undefined, servername: string | undefined): Agent {
  const key = `${caBundle ?? ""}|${servername ?? ""}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({
      connect: {
        ...(caBundle ? { ca: Buffer.from(caBundle, "base64").toString("utf8") } : {}),
        ...(servername ? { servername } : {}),
      },
      keepAliveTimeout: 30_000,
    });
    agents.set(key, agent);
  }
  return agent;
}

/** The AdmissionReview request kube-apiserver sends, with a fresh uid. */
export function admissionReviewFor(
  a: AdmissionAttributes,
  kind: string,
  user: { username: string; uid?: string; groups?: string[] },
  dryRun: boolean,
): { apiVersion: string; kind: string; request: Record<string, unknown> } {
  const object: KubeObject | undefined = a.object ?? a.oldObject;
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: randomUUID(),
      kind: { group: a.group, version: a.version, kind },
      resource: { group: a.group, version: a.version, resource: a.resource },
      ...(a.subresource ? { subResource: a.subresource } : {}),
      requestKind: { group: a.group, version: a.version, kind },
      requestResource: { group: a.group, version: a.version, resource: a.resource },
      name: object?.metadata.name ?? "",
      ...(a.namespace ? { namespace: a.namespace } : {}),
      operation: a.operation,
      userInfo: user,
      object: a.object ?? null,
      oldObject: a.oldObject ?? null,
      dryRun,
      options: {
        apiVersion: "meta.k8s.io/v1",
        kind:
          a.operation === "CREATE"
            ? "CreateOptions"
            : a.operation === "UPDATE"
              ? "UpdateOptions"
              : "DeleteOptions",
      },
    },
  };
}

/**
 * One call to a webhook over HTTPS, trusting its caBundle, within its timeout (default 10 s, at most
 * 30). Anything but an AdmissionReview answering this request's uid is an error, for the failure
 * policy to decide.
 */
export async function callWebhook(
  webhook: WebhookSpec,
  review: { request: Record<string, unknown> },
  serviceAddress: ServiceAddress,
): Promise<WebhookAnswer> {
  const config = webhook.clientConfig;
  let url: string;
  let servername: string | undefined;
  if (config.url) url = config.url;
  else if (config.service) {
    const { namespace, name, path = "/", port = 443 } = config.service;
    const address = serviceAddress(namespace, name, port);
    if (!address) throw new Error(`service "${namespace}/${name}" has no endpoints`);
    url = `https://${address}${path}`;
    servername = `${name}.${namespace}.svc`;
  } else throw new Error("the webhook has neither clientConfig.url nor clientConfig.service");
  const timeoutMs = Math.min(Math.max(webhook.timeoutSeconds ?? 10, 1), 30) * 1000;
  const signal = AbortSignal.timeout(timeoutMs);
  const send = () =>
    request(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(review),
      dispatcher: agentFor(config.caBundle, servername),
      signal,
    });
  let response: Awaited<ReturnType<typeof send>>;
  try {
    response = await send();
  } catch (error) {
    // A kept-alive connection the server closed as the request went out (it rotated its certificate,
    // or timed the connection out): sent again once on a new one, as Go's transport does. Reviews
    // have no side effects, so this is safe.
    if (!closedUnderneath(error) || signal.aborted) throw error;
    response = await send();
  }
  const text = await response.body.text();
  if (response.statusCode !== 200)
    throw new Error(`the server answered ${response.statusCode}: ${text.slice(0, 200)}`);
  let body: { apiVersion?: string; kind?: string; response?: WebhookAnswer & { uid?: string } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error("the answer is not JSON");
  }
  const answer = body.response;
  if (body.kind !== "AdmissionReview" || !answer || typeof answer.allowed !== "boolean")
    throw new Error("the answer is not an AdmissionReview with response.allowed");
  if (answer.uid !== review.request.uid)
    throw new Error(`expected response.uid="${String(review.request.uid)}", got "${answer.uid ?? ""}"`);
  return answer;
}

function closedUnderneath(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET";
}
