import picomatch from "picomatch";
import type { ConnectorSpec, Flow, FlowTarget, IntegrationSpec } from "../../api/types.js";
import type { CloudEvent } from "./cloud-event.js";
import { cloudEvent } from "./cloud-event.js";
import { compileExpression } from "./compile-expression.js";

/** An event as the flows see it. */
export interface FlowEvent {
  type: string;
  deliveryId: string | undefined;
  payload: unknown;
  receivedAt: Date;
  traceparent: string | undefined;
}

/** What a flow sends to its target. */
export interface FlowOutput {
  body: unknown;
  idempotencyKey: string;
  /** The event as a CloudEvent, for sinks that take one (the output as its data when transformed); built on demand. */
  cloudEvent(): Promise<CloudEvent>;
}

/** Told each step of a run as it happens: what a dry run shows. */
export interface FlowObserver {
  /** The filter's value, and whether it lets the event through. */
  filtered?(result: unknown, passed: boolean): void;
  /** The event as a CloudEvent or OCSF, when the flow normalizes. */
  normalized?(value: unknown): void;
  /** The transform's output. */
  transformed?(value: unknown): void;
}

export interface CompiledFlow {
  name: string;
  target: FlowTarget;
  matches(eventType: string): boolean;
  /** The output for this event, or undefined when the filter drops it. */
  run(event: FlowEvent, observe?: FlowObserver): Promise<FlowOutput | undefined>;
}

export interface FlowContext {
  namespace: string;
  integration: string;
  /** The CloudEvents `source` when the connector names none. */
  webhookURL: string;
  config: Record<string, unknown>;
  /**
   * Takes personal data out of the event and of what the flow sends (policies' `personalData` rules):
   * nothing the rules name leaves the cluster.
   */
  minimize?: (value: unknown) => unknown;
}

/** The context an Integration's runtime gives its flows: its Service's webhook URL, its config. */
export function flowContext(integration: {
  namespace: string;
  name: string;
  spec: IntegrationSpec;
}): FlowContext {
  return {
    namespace: integration.namespace,
    integration: integration.name,
    webhookURL: `http://${integration.name}.${integration.namespace}.svc${integration.spec.webhook?.path ?? "/webhook"}`,
    config: integration.spec.config ?? {},
  };
}

/** Compiles every flow of an Integration once; an expression that does not compile names its flow. */
export function compileFlows(
  spec: IntegrationSpec,
  connector: ConnectorSpec,
  context: FlowContext,
): CompiledFlow[] {
  const normalization = compileNormalization(connector, context);
  return (spec.flows ?? []).map((flow) => compileFlow(flow, normalization, context));
}

interface CompiledNormalization {
  cloudEvent(event: FlowEvent): Promise<CloudEvent>;
  ocsf(event: FlowEvent): Promise<unknown>;
}

function compileNormalization(connector: ConnectorSpec, context: FlowContext): CompiledNormalization {
  const settings = connector.normalization?.cloudEvents ?? {};
  const subject = settings.subject
    ? compileExpression(settings.subject, "connector normalization.cloudEvents.subject")
    : undefined;
  const time = settings.time
    ? compileExpression(settings.time, "connector normalization.cloudEvents.time")
    : undefined;
  const source = (settings.source ?? context.webhookURL).replace(
    /\{config\.([A-Za-z0-9_]+)\}/g,
    (_m, key: string) => scalarText(context.config[key]),
  );
  const mappings = (connector.normalization?.ocsf ?? []).map((m) => ({
    name: m.name,
    classUid: m.classUid,
    matches: picomatch(m.events),
    mapping: compileExpression(m.mapping, `connector OCSF mapping "${m.name}"`),
  }));
  return {
    async cloudEvent(event) {
      const subjectValue = subject ? await subject(event.payload) : undefined;
      const timeValue = time ? await time(event.payload) : undefined;
      const parsedTime =
        typeof timeValue === "string" || typeof timeValue === "number" ? new Date(timeValue) : undefined;
      return cloudEvent({
        id: event.deliveryId,
        source,
        type: `${settings.typePrefix ?? ""}${event.type}`,
        subject: subjectValue === undefined || subjectValue === null ? undefined : scalarText(subjectValue),
        time: parsedTime && !Number.isNaN(parsedTime.getTime()) ? parsedTime : event.receivedAt,
        traceparent: event.traceparent,
        data: event.payload,
      });
    },
    async ocsf(event) {
      const mapping = mappings.find((m) => m.matches(event.type));
      if (!mapping) throw new Error(`no OCSF mapping of the connector covers event type "${event.type}"`);
      const mapped = await mapping.mapping(event.payload);
      return mapped && typeof mapped === "object" ? { class_uid: mapping.classUid, ...mapped } : mapped;
    },
  };
}

function compileFlow(flow: Flow, normalization: CompiledNormalization, context: FlowContext): CompiledFlow {
  const where = (part: string) => `flow "${flow.name}": ${part}`;
  const filter = flow.filter ? compileExpression(flow.filter, where("filter")) : undefined;
  const transform = flow.transform ? compileExpression(flow.transform, where("transform")) : undefined;
  const idempotencyKey = flow.idempotencyKey
    ? compileExpression(flow.idempotencyKey, where("idempotencyKey"))
    : undefined;
  const matches = picomatch(flow.events);
  const bindings = { config: context.config };
  return {
    name: flow.name,
    target: flow.target,
    matches: (eventType) => matches(eventType),
    async run(given, observe) {
      const minimize = context.minimize;
      const event = minimize ? { ...given, payload: minimize(given.payload) } : given;
      if (filter) {
        const result = await filter(event.payload, bindings);
        const passed = truthy(result);
        observe?.filtered?.(result, passed);
        if (!passed) return undefined;
      }
      // The envelope costs expressions to build: only when the flow or its sink asks for one.
      let envelope: Promise<CloudEvent> | undefined;
      const cloudEvent = () => (envelope ??= normalization.cloudEvent(event));
      const normalized =
        flow.normalize === "cloudevents"
          ? await cloudEvent()
          : flow.normalize === "ocsf"
            ? await normalization.ocsf(event)
            : event.payload;
      if (flow.normalize === "cloudevents" || flow.normalize === "ocsf") observe?.normalized?.(normalized);
      const transformed = transform ? await transform(normalized, bindings) : normalized;
      const body = minimize ? minimize(transformed) : transformed;
      if (transform) observe?.transformed?.(body);
      const key = idempotencyKey ? await idempotencyKey(event.payload, bindings) : undefined;
      return {
        body,
        idempotencyKey:
          key === undefined || key === null
            ? `${event.deliveryId ?? (await cloudEvent()).id}:${flow.name}`
            : scalarText(key),
        cloudEvent: async () =>
          transform || flow.normalize === "ocsf" ? { ...(await cloudEvent()), data: body } : cloudEvent(),
      };
    },
  };
}

/** JSONata's truthiness for a filter: absent, false, 0, "" and empty arrays drop the event. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

/** A value as text in an attribute or key: scalars as they are, anything else as JSON. */
function scalarText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  return JSON.stringify(value);
}
