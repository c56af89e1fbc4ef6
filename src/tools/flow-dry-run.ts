import type { ConnectorSpec, Flow, Integration } from "../api/types.js";
import type { CompiledFlow, FlowEvent } from "../runtime/flows/compile-flows.js";
import { compileFlows, flowContext } from "../runtime/flows/compile-flows.js";
import { EventSchemas } from "../runtime/inbound/event-schemas.js";
import type { ReceivedEvent } from "../runtime/inbound/parse-delivery.js";
import type { KnownConnector } from "./known-connectors.js";
import type { TargetPreview } from "./target-preview.js";
import { targetPreview } from "./target-preview.js";

/** One flow on one event: whether it matched, each step's result, what its target would receive. */
export interface FlowRun {
  flow: string;
  /** The flow's event type globs. */
  events: string[];
  matched: boolean;
  filter?: { expression: string; result: unknown; passed: boolean };
  normalized?: { as: string; value: unknown };
  transformed?: unknown;
  target?: TargetPreview;
  /** What failed, as the runtime would say it (the delivery would fail the same way). */
  error?: string;
}

export interface EventRun {
  type: string;
  deliveryId?: string;
  /** Why the runtime would refuse the event (a 400 to the sender; no flow runs). */
  rejected?: string;
  flows: FlowRun[];
}

/**
 * Runs an Integration's flows on sample events through the runtime's own code: the connector's event
 * schemas, the flows compiled and run as the runtime runs them (glob, filter, normalization,
 * transform), and what each target would be sent. Nothing is called.
 */
export async function dryRunFlows(options: {
  integration: Integration;
  connector: KnownConnector;
  events: ReceivedEvent[];
  now?: Date;
}): Promise<EventRun[]> {
  const { integration, connector } = options;
  const spec = integration.spec;
  const context = flowContext({
    namespace: integration.metadata.namespace ?? "default",
    name: integration.metadata.name ?? "",
    spec,
  });
  const flows = compileFlows(spec, connector.spec, context);
  const schemas = new EventSchemas(connector.spec.events ?? []);
  const now = options.now ?? new Date();
  const runs: EventRun[] = [];
  for (const event of options.events) {
    const run: EventRun = {
      type: event.type,
      ...(event.deliveryId !== undefined ? { deliveryId: event.deliveryId } : {}),
      flows: [],
    };
    runs.push(run);
    const rejected = schemas.check(event.type, event.payload);
    if (rejected) {
      run.rejected = rejected;
      continue;
    }
    // The journal keeps the payload as JSON; the delivery worker parses it back.
    const flowEvent: FlowEvent = {
      type: event.type,
      deliveryId: event.deliveryId,
      payload: JSON.parse(JSON.stringify(event.payload)) as unknown,
      receivedAt: now,
      traceparent: undefined,
    };
    // compileFlows keeps the Integration's order: the i-th compiled flow is spec.flows[i].
    for (const [i, flow] of flows.entries())
      run.flows.push(await runFlow(flow, spec.flows?.[i], flowEvent, connector.spec, now));
  }
  return runs;
}

async function runFlow(
  flow: CompiledFlow,
  definition: Flow | undefined,
  event: FlowEvent,
  connector: ConnectorSpec,
  now: Date,
): Promise<FlowRun> {
  const result: FlowRun = {
    flow: flow.name,
    events: definition?.events ?? [],
    matched: flow.matches(event.type),
  };
  if (!result.matched) return result;
  try {
    const output = await flow.run(event, {
      filtered: (value, passed) =>
        (result.filter = { expression: definition?.filter ?? "", result: value, passed }),
      normalized: (value) => (result.normalized = { as: definition?.normalize ?? "", value }),
      transformed: (value) => (result.transformed = value),
    });
    const target = output ? await targetPreview(flow.target, output, connector, now) : undefined;
    if (target) result.target = target;
  } catch (error) {
    // JSONata throws plain objects with a message, not Errors.
    const message = (error as { message?: unknown } | null)?.message;
    result.error = typeof message === "string" ? message : String(error);
  }
  return result;
}
