import type { ConnectorSpec, FlowTarget, HTTPSink } from "../api/types.js";
import { actionInputCheck } from "../runtime/actions/action-input.js";
import { sinkRequest } from "../runtime/delivery/flow-targets.js";
import type { FlowOutput } from "../runtime/flows/compile-flows.js";

/** What a flow's target would be sent, without sending it. */
export type TargetPreview =
  | {
      kind: "action";
      action: string;
      input: unknown;
      idempotencyKey: string;
      /** Why the action would refuse the input (a dead letter at once), if it would. */
      problem?: string;
    }
  | { kind: "integration"; integration: string; action: string; input: unknown; idempotencyKey: string }
  | {
      kind: "sink";
      method: "POST";
      url: string;
      mode: string;
      headers: Record<string, string>;
      body: unknown;
    };

/**
 * What the target of a flow would receive for its output: an action of the connector and its input
 * (checked against the action's input schema as the runtime checks it), another Integration's action,
 * or the sink's request as the runtime builds it. A Standard Webhooks signature needs the sink's
 * Secret, which a dry run does not have: the header says where it would come from.
 */
export async function targetPreview(
  target: FlowTarget,
  output: FlowOutput,
  connector: ConnectorSpec,
  now: Date,
): Promise<TargetPreview | undefined> {
  if (target.action) {
    const action = (connector.actions ?? []).find((a) => a.name === target.action);
    const problem = !action
      ? `the connector has no action "${target.action}"`
      : action.inputSchema
        ? actionInputCheck(action.inputSchema)(output.body)
        : undefined;
    return {
      kind: "action",
      action: target.action,
      input: output.body,
      idempotencyKey: output.idempotencyKey,
      ...(problem ? { problem } : {}),
    };
  }
  if (target.integration)
    return {
      kind: "integration",
      integration: target.integration.name,
      action: target.integration.action,
      input: output.body,
      idempotencyKey: output.idempotencyKey,
    };
  if (target.sink) return sinkPreview(target.sink, output, now);
  return undefined;
}

async function sinkPreview(sink: HTTPSink, output: FlowOutput, now: Date): Promise<TargetPreview> {
  const ref = sink.secretRef;
  const secretKey = ref ? `${ref.name}/${ref.key ?? "secret"}` : undefined;
  const secrets = new Map(secretKey ? [[secretKey, Buffer.from("dry run").toString("base64")]] : []);
  const request = await sinkRequest(sink, output, undefined, secrets, now);
  if (ref && request.headers["webhook-signature"])
    request.headers["webhook-signature"] =
      `v1,<signed at delivery with key ${ref.key ?? "secret"} of Secret ${ref.name}>`;
  return {
    kind: "sink",
    method: "POST",
    url: request.url.toString(),
    mode: sink.mode ?? "json",
    headers: request.headers,
    body: JSON.parse(request.body) as unknown,
  };
}
