/**
 * Switchboard's Grafana dashboards, as code: each panel a title, its PromQL and a unit. `npm run
 * generate` writes them to config/dashboards/ as Grafana JSON (schema 39); a test fails when the
 * files drift, and another evaluates every query against a real Prometheus.
 */
export interface PanelSpec {
  title: string;
  type: "timeseries" | "stat" | "table";
  unit: string;
  targets: { expr: string; legend?: string }[];
  description?: string;
}

export interface DashboardSpec {
  uid: string;
  file: string;
  title: string;
  description: string;
  variables: ("namespace" | "integration")[];
  panels: PanelSpec[];
}

const scope = 'namespace=~"$namespace", integration=~"$integration"';

export const dashboards: DashboardSpec[] = [
  {
    uid: "switchboard-overview",
    file: "overview.json",
    title: "Switchboard / Overview",
    description:
      "Every Integration at a glance: status, events, deliveries, dead letters, circuits, rate limits.",
    variables: ["namespace"],
    panels: [
      {
        title: "Integrations Ready",
        type: "stat",
        unit: "none",
        targets: [{ expr: 'sum(switchboard_integration_ready{namespace=~"$namespace"})' }],
      },
      {
        title: "Integrations not Ready",
        type: "stat",
        unit: "none",
        targets: [
          { expr: 'count(switchboard_integration_ready{namespace=~"$namespace"} == 0) or vector(0)' },
        ],
      },
      {
        title: "Events received",
        type: "timeseries",
        unit: "reqps",
        targets: [
          {
            expr: 'sum by (namespace, integration) (rate(switchboard_runtime_events_received_total{namespace=~"$namespace"}[5m]))',
            legend: "{{namespace}}/{{integration}}",
          },
        ],
      },
      {
        title: "Delivery success ratio",
        type: "timeseries",
        unit: "percentunit",
        targets: [
          {
            expr: 'sum by (namespace, integration) (rate(switchboard_runtime_deliveries_total{namespace=~"$namespace", outcome="delivered"}[5m])) / sum by (namespace, integration) (rate(switchboard_runtime_deliveries_total{namespace=~"$namespace", outcome=~"delivered|retry|dead"}[5m]))',
            legend: "{{namespace}}/{{integration}}",
          },
        ],
      },
      {
        title: "Delivery latency (p50, p99)",
        type: "timeseries",
        unit: "s",
        targets: [
          {
            expr: 'histogram_quantile(0.5, sum by (le) (rate(switchboard_runtime_delivery_duration_seconds_bucket{namespace=~"$namespace"}[5m])))',
            legend: "p50",
          },
          {
            expr: 'histogram_quantile(0.99, sum by (le) (rate(switchboard_runtime_delivery_duration_seconds_bucket{namespace=~"$namespace"}[5m])))',
            legend: "p99",
          },
        ],
      },
      {
        title: "Dead letters",
        type: "timeseries",
        unit: "none",
        targets: [
          {
            expr: 'sum by (namespace, integration) (switchboard_runtime_journal_entries{namespace=~"$namespace", state="dead"})',
            legend: "{{namespace}}/{{integration}}",
          },
        ],
      },
      {
        title: "Open circuits",
        type: "table",
        unit: "none",
        targets: [
          {
            expr: 'max by (namespace, integration, host) (switchboard_runtime_circuit_state{namespace=~"$namespace"})',
          },
        ],
        description: "0 closed, 1 half-open, 2 open.",
      },
      {
        title: "Rate-limit waits",
        type: "timeseries",
        unit: "s",
        targets: [
          {
            expr: 'sum by (namespace, integration) (rate(switchboard_runtime_rate_limit_wait_seconds_sum{namespace=~"$namespace"}[5m]))',
            legend: "{{namespace}}/{{integration}}",
          },
        ],
      },
    ],
  },
  {
    uid: "switchboard-integration",
    file: "integration.json",
    title: "Switchboard / Integration",
    description: "One Integration in detail: webhooks in, flows, actions, the journal, vendor calls.",
    variables: ["namespace", "integration"],
    panels: [
      {
        title: "Events received by type",
        type: "timeseries",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (event_type) (rate(switchboard_runtime_events_received_total{${scope}}[5m]))`,
            legend: "{{event_type}}",
          },
        ],
      },
      {
        title: "Webhooks rejected by reason",
        type: "timeseries",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (reason) (rate(switchboard_runtime_events_rejected_total{${scope}}[5m]))`,
            legend: "{{reason}}",
          },
        ],
      },
      {
        title: "Deliveries by flow and outcome",
        type: "timeseries",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (flow, outcome) (rate(switchboard_runtime_deliveries_total{${scope}}[5m]))`,
            legend: "{{flow}} {{outcome}}",
          },
        ],
      },
      {
        title: "Delivery latency p99 by flow",
        type: "timeseries",
        unit: "s",
        targets: [
          {
            expr: `histogram_quantile(0.99, sum by (flow, le) (rate(switchboard_runtime_delivery_duration_seconds_bucket{${scope}}[5m])))`,
            legend: "{{flow}}",
          },
        ],
      },
      {
        title: "Action API calls",
        type: "timeseries",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (action, outcome) (rate(switchboard_runtime_action_calls_total{${scope}}[5m]))`,
            legend: "{{action}} {{outcome}}",
          },
        ],
      },
      {
        title: "Journal",
        type: "timeseries",
        unit: "none",
        targets: [
          { expr: `sum by (state) (switchboard_runtime_journal_entries{${scope}})`, legend: "{{state}}" },
        ],
      },
      {
        title: "Circuit state by host",
        type: "timeseries",
        unit: "none",
        targets: [
          { expr: `max by (host) (switchboard_runtime_circuit_state{${scope}})`, legend: "{{host}}" },
        ],
      },
      {
        title: "Token requests",
        type: "timeseries",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (scheme, result) (rate(switchboard_runtime_token_requests_total{${scope}}[5m]))`,
            legend: "{{scheme}} {{result}}",
          },
        ],
      },
      {
        title: "HTTP requests by route and code",
        type: "timeseries",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (route, code) (rate(switchboard_runtime_http_requests_total{${scope}}[5m]))`,
            legend: "{{route}} {{code}}",
          },
        ],
      },
    ],
  },
  {
    uid: "switchboard-operator",
    file: "operator.json",
    title: "Switchboard / Operator",
    description: "The operator's health: leadership, reconciles, errors, queues.",
    variables: [],
    panels: [
      {
        title: "Leader",
        type: "stat",
        unit: "none",
        targets: [{ expr: 'max(leader_election_master_status{name="switchboard-operator"})' }],
        description: "1 while an instance leads.",
      },
      {
        title: "Reconciles by controller and result",
        type: "timeseries",
        unit: "reqps",
        targets: [
          {
            expr: "sum by (controller, result) (rate(controller_runtime_reconcile_total[5m]))",
            legend: "{{controller}} {{result}}",
          },
        ],
      },
      {
        title: "Reconcile errors",
        type: "timeseries",
        unit: "reqps",
        targets: [
          {
            expr: "sum by (controller) (rate(controller_runtime_reconcile_errors_total[5m]))",
            legend: "{{controller}}",
          },
        ],
      },
      {
        title: "Reconcile time p99",
        type: "timeseries",
        unit: "s",
        targets: [
          {
            expr: "histogram_quantile(0.99, sum by (controller, le) (rate(controller_runtime_reconcile_time_seconds_bucket[5m])))",
            legend: "{{controller}}",
          },
        ],
      },
      {
        title: "Work queue depth",
        type: "timeseries",
        unit: "none",
        targets: [{ expr: "sum by (name) (workqueue_depth)", legend: "{{name}}" }],
      },
      {
        title: "Credential checks",
        type: "timeseries",
        unit: "reqps",
        targets: [
          { expr: "sum by (result) (rate(switchboard_credential_checks_total[5m]))", legend: "{{result}}" },
        ],
      },
    ],
  },
];

/** A dashboard as Grafana's JSON model, with a Prometheus data source variable. */
export function dashboardJson(spec: DashboardSpec): string {
  const datasource = { type: "prometheus", uid: "${datasource}" };
  const variable = (name: "namespace" | "integration") => ({
    name,
    label: name === "namespace" ? "Namespace" : "Integration",
    type: "query",
    datasource,
    query: {
      query:
        name === "namespace"
          ? "label_values(switchboard_integration_ready, namespace)"
          : 'label_values(switchboard_integration_ready{namespace=~"$namespace"}, integration)',
      refId: "variable",
    },
    refresh: 2,
    includeAll: name === "namespace",
    multi: name === "namespace",
    ...(name === "namespace" ? { allValue: ".*" } : {}),
  });
  const panels = spec.panels.map((panel, index) => ({
    id: index + 1,
    title: panel.title,
    ...(panel.description ? { description: panel.description } : {}),
    type: panel.type,
    datasource,
    gridPos: { h: 8, w: panel.type === "stat" ? 6 : 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
    fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
    options: {},
    targets: panel.targets.map((t, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource,
      expr: t.expr,
      ...(t.legend ? { legendFormat: t.legend } : {}),
      ...(panel.type === "table" ? { format: "table", instant: true } : {}),
    })),
  }));
  const dashboard = {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ["switchboard"],
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { from: "now-6h", to: "now" },
    refresh: "30s",
    templating: {
      list: [
        { name: "datasource", label: "Data source", type: "datasource", query: "prometheus" },
        ...spec.variables.map(variable),
      ],
    },
    panels,
  };
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
