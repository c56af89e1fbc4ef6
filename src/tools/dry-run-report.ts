import type { Integration } from "../api/types.js";
import type { EventRun, FlowRun } from "./flow-dry-run.js";
import type { KnownConnector } from "./known-connectors.js";
import type { TargetPreview } from "./target-preview.js";

/** A dry run and what it ran: the Integration, the connector it resolved to, notes on the events. */
export interface DryRunReport {
  integration: Integration;
  connector: KnownConnector;
  notes: readonly string[];
  runs: readonly EventRun[];
}

/** How the flows fared over every event. */
export interface DryRunSummary {
  delivered: number;
  filtered: number;
  unmatched: number;
  /** Flows that would fail, and events the runtime would refuse. */
  failed: number;
}

export function dryRunSummary(runs: readonly EventRun[]): DryRunSummary {
  const flows = runs.flatMap((r) => r.flows);
  const failed = (f: FlowRun) => f.error !== undefined || (f.target?.kind === "action" && f.target.problem);
  return {
    delivered: flows.filter((f) => f.target && !failed(f)).length,
    filtered: flows.filter((f) => f.filter?.passed === false).length,
    unmatched: flows.filter((f) => !f.matched).length,
    failed: flows.filter(failed).length + runs.filter((r) => r.rejected !== undefined).length,
  };
}

/** The dry run, readably: each event, each flow's steps and what its target would receive, a summary. */
export function dryRunText(report: DryRunReport): string {
  const { connector, notes, runs } = report;
  const lines = [
    `Integration ${integrationName(report.integration)} with ${connector.kind} "${connector.name}" ${connector.spec.version} (${connector.file})`,
    ...notes.map((note) => `note: ${note}`),
  ];
  for (const run of runs) {
    lines.push("", `event ${run.type}${run.deliveryId !== undefined ? ` (delivery ${run.deliveryId})` : ""}`);
    if (run.rejected !== undefined)
      lines.push(`  rejected: ${run.rejected} (the runtime answers 400 and runs no flow)`);
    if (run.rejected === undefined && !run.flows.some((f) => f.matched))
      lines.push("  no flow matches this event type: the runtime acknowledges it and delivers nothing");
    for (const flow of run.flows) lines.push(...flowLines(flow));
  }
  const summary = dryRunSummary(runs);
  lines.push(
    "",
    `${summary.delivered} would deliver, ${summary.filtered} filtered out, ${summary.unmatched} not matched, ${summary.failed} failed`,
  );
  return lines.join("\n");
}

/** The dry run as JSON: `{ integration, connector, notes, events, summary }`. */
export function dryRunJson(report: DryRunReport): string {
  const { connector, notes, runs } = report;
  return JSON.stringify(
    {
      integration: integrationName(report.integration),
      connector: {
        kind: connector.kind,
        name: connector.name,
        version: connector.spec.version,
        file: connector.file,
      },
      notes,
      events: runs,
      summary: dryRunSummary(runs),
    },
    null,
    2,
  );
}

function integrationName(integration: Integration): string {
  return `${integration.metadata.namespace ?? "default"}/${integration.metadata.name ?? ""}`;
}

function flowLines(flow: FlowRun): string[] {
  const events = flow.events.join(", ");
  if (!flow.matched) return [`  flow ${flow.flow}: not matched (${events})`];
  const lines = [`  flow ${flow.flow}: matched (${events})`];
  if (flow.filter)
    lines.push(
      `    filter: ${flow.filter.expression} → ${json(flow.filter.result) ?? "undefined"}${flow.filter.passed ? "" : ": filtered out"}`,
    );
  if (flow.normalized)
    lines.push(`    normalized as ${flow.normalized.as}:`, ...block(flow.normalized.value, 6));
  if ("transformed" in flow) lines.push("    transformed:", ...block(flow.transformed, 6));
  if (flow.target) lines.push(...targetLines(flow.target));
  if (flow.error !== undefined) lines.push(`    error: ${flow.error}`);
  return lines;
}

function targetLines(target: TargetPreview): string[] {
  switch (target.kind) {
    case "action":
      return [
        `    → action ${target.action}, idempotency key ${target.idempotencyKey}, input:`,
        ...block(target.input, 6),
        ...(target.problem ? [`    error: ${target.problem} (the action refuses it: a dead letter)`] : []),
      ];
    case "integration":
      return [
        `    → Integration ${target.integration} action ${target.action}, idempotency key ${target.idempotencyKey}, input:`,
        ...block(target.input, 6),
      ];
    case "sink":
      return [
        `    → sink ${target.method} ${target.url} (${target.mode})`,
        "      headers:",
        ...Object.entries(target.headers).map(([name, value]) => `        ${name}: ${value}`),
        "      body:",
        ...block(target.body, 8),
      ];
  }
}

function json(value: unknown): string | undefined {
  // undefined (a filter with no value) has no JSON.
  const text: string | undefined = JSON.stringify(value, null, 2);
  return text;
}

function block(value: unknown, indent: number): string[] {
  return (json(value) ?? "undefined").split("\n").map((line) => `${" ".repeat(indent)}${line}`);
}
