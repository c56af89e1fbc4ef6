import type { CircuitBreakerPolicy } from "cockatiel";
import type { FlowTarget, HTTPSink } from "../../api/types.js";
import type { ActionExecutor } from "../actions/action-executor.js";
import { cloudEventRequest } from "../flows/cloud-event.js";
import type { FlowOutput } from "../flows/compile-flows.js";
import { VendorError } from "../outbound/failure-classification.js";
import type { HttpClient } from "../outbound/http-client.js";
import { vendorWaitMs } from "../outbound/rate-limiter.js";
import { standardWebhooksHeaders } from "./standard-webhooks-signature.js";

/** Where a flow's output goes, one attempt at a time. */
export interface FlowTargets {
  /** `flow`: the flow's name, for the audit trail of what it calls. */
  deliver(
    target: FlowTarget,
    output: FlowOutput,
    traceparent: string | undefined,
    flow?: string,
  ): Promise<void>;
}

export interface FlowTargetOptions {
  actions: ActionExecutor;
  http: HttpClient;
  breakerFor: (host: string) => CircuitBreakerPolicy;
  timeoutMs: number;
  /** Signing secrets of sinks, by `<secret name>/<key>` of their secretRef, as mounted. */
  sinkSecrets: Map<string, string>;
  /** Calls another Integration's action API (through its Service in a cluster). */
  callIntegration: (name: string, action: string, input: unknown, idempotencyKey: string) => Promise<void>;
  now?: () => Date;
}

export function flowTargets(options: FlowTargetOptions): FlowTargets {
  return {
    async deliver(target, output, traceparent, flow) {
      if (target.action) {
        await options.actions.run({
          name: target.action,
          ...(flow ? { caller: `flow/${flow}` } : {}),
          input: output.body,
          idempotencyKey: output.idempotencyKey,
          ...(traceparent ? { traceparent } : {}),
        });
      } else if (target.integration) {
        await options.callIntegration(
          target.integration.name,
          target.integration.action,
          output.body,
          output.idempotencyKey,
        );
      } else if (target.sink) {
        await sendToSink(target.sink, output, traceparent, options);
      }
    },
  };
}

/** The request a sink is sent: its URL, headers (the sink's own, then the envelope's) and body. */
export interface SinkRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/**
 * What a sink receives for a flow's output, in the sink's mode: the output as JSON, the event as a
 * CloudEvent (structured or binary), or a Standard Webhooks delivery signed with the sink's secret.
 */
export async function sinkRequest(
  sink: HTTPSink,
  output: FlowOutput,
  traceparent: string | undefined,
  sinkSecrets: Map<string, string>,
  now: Date,
): Promise<SinkRequest> {
  const url = new URL(sink.url);
  const mode = sink.mode ?? "json";
  let request: { headers: Record<string, string>; body: string };
  if (mode === "cloudevents-structured" || mode === "cloudevents-binary") {
    request = cloudEventRequest(
      await output.cloudEvent(),
      mode === "cloudevents-structured" ? "structured" : "binary",
    );
  } else {
    const body = JSON.stringify(output.body);
    request = { headers: { "content-type": "application/json" }, body };
    if (mode === "standard-webhooks") {
      const ref = sink.secretRef;
      const secret = ref ? sinkSecrets.get(`${ref.name}/${ref.key ?? "secret"}`) : undefined;
      if (!secret)
        throw new Error(`sink ${url.host}: standard-webhooks needs secretRef, and its secret is not mounted`);
      Object.assign(request.headers, standardWebhooksHeaders(secret, output.idempotencyKey, body, now));
    }
  }
  const headers: Record<string, string> = {
    ...(sink.headers ?? {}),
    ...request.headers,
    "idempotency-key": output.idempotencyKey,
  };
  if (traceparent) headers.traceparent = traceparent;
  return { url, headers, body: request.body };
}

async function sendToSink(
  sink: HTTPSink,
  output: FlowOutput,
  traceparent: string | undefined,
  options: FlowTargetOptions,
): Promise<void> {
  const { url, headers, body } = await sinkRequest(
    sink,
    output,
    traceparent,
    options.sinkSecrets,
    (options.now ?? (() => new Date()))(),
  );
  const response = await options.breakerFor(url.host).execute(async () => {
    const answer = await options.http.send({ method: "POST", url, headers, body }, options.timeoutMs);
    if (answer.status >= 500 || answer.status === 408)
      throw new VendorError(
        answer.status,
        `sink ${url.host}: ${answer.status}`,
        vendorWaitMs(answer.status, answer.headers),
      );
    return answer;
  });
  if (response.status >= 400)
    throw new VendorError(
      response.status,
      `sink ${url.host}: ${response.status}`,
      vendorWaitMs(response.status, response.headers),
    );
}
