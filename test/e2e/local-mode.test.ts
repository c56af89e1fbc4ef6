import { execFile, spawn, spawnSync } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import * as yaml from "js-yaml";
import { freePort } from "../../src/local/executor/free-port.js";
import { dashboards } from "../../src/packaging/dashboards.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";

interface DevProcess {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
}

/** `switchboard dev` as the README starts it (through the sources), resolved once it says all is up. */
async function startDev(args: string[]): Promise<DevProcess> {
  const child = spawn(process.execPath, [
    "--import",
    "tsx",
    "src/cli/main.ts",
    "dev",
    "--port",
    "0",
    ...args,
  ]);
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("Switchboard is running locally")) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    child.once("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`switchboard dev exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output };
}

async function stopDev(dev: DevProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => dev.child.once("exit", (code) => resolve(code)));
  dev.child.kill("SIGINT");
  return exited;
}

function cli(args: string[], kubeconfig: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", ...args, "--kubeconfig", kubeconfig],
    {
      encoding: "utf8",
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const metric = async (url: string, name: string, labels: string): Promise<number> => {
  const text = await (await fetch(url)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(" ").pop()) : 0;
};

/** The README's local walkthrough, step by step, as a new user follows it. */
describe("local mode: npm start, then the README's walkthrough", () => {
  let dir: string;
  let kubeconfig: string;
  let dev: DevProcess;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "switchboard-local-"));
    kubeconfig = join(dir, "kubeconfig");
    dev = await startDev(["--kubeconfig", kubeconfig, "--state-dir", join(dir, "state")]);
  }, 90_000);
  afterAll(async () => {
    if (dev.child.exitCode === null) await stopDev(dev);
    await rm(dir, { recursive: true, force: true });
  });

  it("brings the examples up: kubectl shows every Integration Ready, the summary prints their URLs", async () => {
    expect(dev.output()).toMatch(/2 of 2 Integration\(s\) Ready in \d+\.\d s/);
    expect(dev.output()).toMatch(
      /default\/github-issues\s+Ready\n\s+webhook\s+http:\/\/127\.0\.0\.1:\d+\/webhook/,
    );
    const { stdout } = await kubectl(kubeconfig, [
      "get",
      "integrations",
      "-o",
      "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=='Ready')].status} {end}",
    ]);
    expect(stdout.trim().split(" ").sort()).toEqual(["github-issues=True", "tickets=True"]);
  });

  it("a signed GitHub delivery sent with the CLI reaches the sink transformed, and the runtime's metrics move", async () => {
    const metricsURL =
      /default\/github-issues\s+Ready\n[\s\S]*?metrics\s+(http\S+)/.exec(dev.output())?.[1] ?? "";
    const received = () =>
      metric(metricsURL, "switchboard_runtime_events_received_total", 'event_type="issues.opened"');
    const before = await received();
    const sent = cli(["webhook", "send", "github-issues", "--event", "issues.opened"], kubeconfig);
    expect(sent.stdout).toContain("github");
    expect(sent.stdout).toMatch(/^200 /m);
    expect(sent.status).toBe(0);
    await eventually(async () => {
      const sink = (await (await fetch("http://127.0.0.1:7070/sinks/issues")).json()) as { body: unknown }[];
      expect(sink.at(-1)?.body).toEqual({
        repository: "octocat/Hello-World",
        issue: 1347,
        action: "opened",
        by: "octocat",
      });
    });
    expect(await received()).toBe(before + 1);

    const forged = cli(
      ["webhook", "send", "github-issues", "--event", "issues.opened", "--bad-signature"],
      kubeconfig,
    );
    expect(forged.status).toBe(1);
    expect(forged.stdout).toMatch(/^401 .*bad-signature/m);
    expect(
      await metric(metricsURL, "switchboard_runtime_events_rejected_total", 'reason="bad-signature"'),
    ).toBe(1);
  });

  it("webhook send names what is wrong: the Integration, the event type, the payload file", () => {
    const missing = cli(["webhook", "send", "nope", "--event", "push"], kubeconfig);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(
      "Integration default/nope not found (kubectl get integrations -n default)",
    );
    const event = cli(["webhook", "send", "github-issues", "--event", "no.such"], kubeconfig);
    expect(event.stderr).toMatch(/connector github has no event no\.such; it has ping, push, issues\.opened/);
    const file = cli(
      ["webhook", "send", "github-issues", "--event", "push", "--file", "missing.json"],
      kubeconfig,
    );
    expect(file.stderr).toContain("--file missing.json: no such file");
    const unsigned = cli(["webhook", "send", "github-issues", "--event", "push", "--unsigned"], kubeconfig);
    expect(unsigned.stdout).toMatch(/^401 .*missing-signature/m);
  });

  it("an escalated ticket becomes a note through the OAuth 2.0 action against the local token endpoint", async () => {
    const sent = cli(["webhook", "send", "tickets", "--event", "ticket.escalated"], kubeconfig);
    expect(sent.status).toBe(0);
    await eventually(async () => {
      const calls = (await (await fetch("http://127.0.0.1:7070/api-calls")).json()) as {
        path: string;
        body: unknown;
      }[];
      expect(calls.at(-1)).toMatchObject({
        path: "/api/tickets/T-1042/notes",
        body: { text: "Escalated to ada by Switchboard" },
      });
    });
  });

  it("an Integration applied with kubectl runs too; what its sink refuses becomes a dead letter, listed and replayed with the CLI", async () => {
    const manifest = `apiVersion: switchboard.dev/v1alpha1
kind: Integration
metadata: { name: refused, namespace: default }
spec:
  connectorRef: { kind: ClusterConnector, name: github }
  webhook: { secretRef: { name: github-webhook } }
  flows:
    - name: nowhere
      events: ["*"]
      target: { sink: { url: "http://127.0.0.1:7070/nowhere", mode: json } }
  egress: { allowedHosts: ["127.0.0.1"], allowPrivateNetworks: true, allowInsecureHTTP: true }
`;
    expect((await kubectl(kubeconfig, ["apply", "--server-side", "-f", "-"], manifest)).code).toBe(0);
    await eventually(async () => {
      const { stdout } = await kubectl(kubeconfig, [
        "get",
        "integration",
        "refused",
        "-o",
        "jsonpath={.status.conditions[?(@.type=='Ready')].status}",
      ]);
      expect(stdout).toBe("True");
    }, 30_000);
    expect(cli(["webhook", "send", "refused", "--event", "ping"], kubeconfig).status).toBe(0);
    let id = "";
    await eventually(() => {
      const list = cli(["deadletters", "list", "refused", "-o", "json"], kubeconfig);
      expect(list.status).toBe(0);
      const body = JSON.parse(list.stdout) as { items: { id: number; lastError?: string }[] };
      expect(body.items).toHaveLength(1);
      expect(body.items[0]?.lastError).toContain("404");
      id = String(body.items[0]?.id);
    });
    expect(cli(["deadletters", "replay", "refused", id], kubeconfig).stdout).toBe(`replayed ${id}\n`);
    const unknown = cli(["deadletters", "list", "missing"], kubeconfig);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("missing");
  }, 60_000);

  it("a real Prometheus scrapes the operator and the runtimes: every dashboard and alert query runs, and every metric they use has series", async () => {
    const output = dev.output();
    const token = /Action token\s+(\S+)/.exec(output)?.[1] ?? "";
    const actions =
      /default\/tickets\s+Ready\n\s+webhook\s+\S+\n\s+actions\s+(http\S+)/.exec(output)?.[1] ?? "";
    const called = await fetch(`${actions}/whoami`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(called.status).toBe(200);
    const targets = [
      ...[...output.matchAll(/metrics\s+http:\/\/([\d.:]+)\/metrics/g)].map((m) => m[1] ?? ""),
      /Operator\s+http:\/\/([\d.:]+)\/metrics/.exec(output)?.[1] ?? "",
    ];
    const port = await freePort("127.0.0.1");
    const config = join(dir, "prometheus.yml");
    await writeFile(
      config,
      `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: switchboard\n    static_configs:\n      - targets: [${targets.map((t) => `"${t}"`).join(", ")}]\n`,
    );
    const prometheus = spawn("prometheus", [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, "tsdb")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ]);
    const api = `http://127.0.0.1:${port}/api/v1`;
    try {
      await eventually(async () => {
        const up = (await (await fetch(`${api}/query?query=${encodeURIComponent("sum(up)")}`)).json()) as {
          data: { result: { value: [number, string] }[] };
        };
        expect(Number(up.data.result[0]?.value[1])).toBe(targets.length);
      }, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // a few scrapes, for rate()
      const rules = (
        yaml.load(await readFile("config/alerts/switchboard.rules.yaml", "utf8")) as {
          groups: { rules: { alert: string; expr: string }[] }[];
        }
      ).groups.flatMap((g) => g.rules.map((r) => r.expr));
      const panels = dashboards.flatMap((d) => d.panels.flatMap((p) => p.targets.map((t) => t.expr)));
      const expressions = [...panels, ...rules].map((e) => e.replace(/\$namespace|\$integration/g, ".*"));
      for (const expr of expressions) {
        const answer = (await (await fetch(`${api}/query?query=${encodeURIComponent(expr)}`)).json()) as {
          status: string;
        };
        expect(answer.status, expr).toBe("success");
      }
      const names = new Set(
        expressions.flatMap(
          (e) => e.match(/\b(?:switchboard|controller_runtime|workqueue|leader_election)_[a-z0-9_]+/g) ?? [],
        ),
      );
      expect(names.size).toBeGreaterThan(15);
      const missing: string[] = [];
      for (const name of names) {
        const series = (await (await fetch(`${api}/series?match[]=${encodeURIComponent(name)}`)).json()) as {
          data: unknown[];
        };
        if (series.data.length === 0) missing.push(name);
      }
      expect(missing).toEqual([]);
    } finally {
      prometheus.kill("SIGTERM");
    }
  }, 90_000);

  it("the Helm chart applied to local mode's API server: its objects are created, and the examples stay Ready", async () => {
    const rendered = await new Promise<string>((resolve, reject) =>
      execFile(
        "node_modules/.bin/helm",
        ["template", "switchboard", "charts/switchboard", "--namespace", "switchboard-system"],
        { maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
      ),
    );
    // Local mode serves the webhook behind the same Service and configuration names: the chart takes
    // their fields over, local mode's address annotation and CA bundle stay.
    const applied = await kubectl(
      kubeconfig,
      ["apply", "--server-side", "--force-conflicts", "-f", "-"],
      rendered,
    );
    expect(applied.stderr).toBe("");
    const { stdout: deployments } = await kubectl(kubeconfig, [
      "get",
      "deployments",
      "-n",
      "switchboard-system",
      "-o",
      "name",
    ]);
    expect(deployments.trim().split("\n").sort()).toEqual([
      "deployment.apps/switchboard-operator",
      "deployment.apps/switchboard-webhook",
    ]);
    const { stdout } = await kubectl(kubeconfig, [
      "get",
      "integrations",
      "-o",
      "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=='Ready')].status} {end}",
    ]);
    expect(stdout).toContain("github-issues=True");
    expect(stdout).toContain("tickets=True");
  });

  it("admission runs in local mode: with the SOC 2 policies applied, an Integration without an owner is refused, saying how to comply", async () => {
    expect(
      (await kubectl(kubeconfig, ["apply", "--server-side", "-f", "config/policies/soc2.yaml"])).code,
    ).toBe(0);
    const manifest = `apiVersion: switchboard.dev/v1alpha1
kind: Integration
metadata: { name: unowned, namespace: default }
spec:
  connectorRef: { kind: ClusterConnector, name: github }
  webhook: { secretRef: { name: github-webhook } }
`;
    await eventually(async () => {
      const refused = await kubectl(kubeconfig, ["apply", "--server-side", "-f", "-"], manifest);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(
        'admission webhook "validate.switchboard.dev" denied the request: Integration default/unowned is denied by policy: IntegrationPolicy soc2-baseline, rule owner-and-classification',
      );
    });
  });

  it("Ctrl-C stops everything; started again with the same --state-dir it resumes with the objects kept", async () => {
    const { stdout: uid } = await kubectl(kubeconfig, [
      "get",
      "integration",
      "tickets",
      "-o",
      "jsonpath={.metadata.uid}",
    ]);
    expect(await stopDev(dev)).toBe(0);
    expect(dev.output()).toContain("SIGINT: stopping");
    dev = await startDev(["--kubeconfig", kubeconfig, "--state-dir", join(dir, "state")]);
    expect(dev.output()).toMatch(/3 of 3 Integration\(s\) Ready/); // the examples, and the one kubectl applied
    expect(dev.output()).toContain("State: kept in");
    const { stdout: after } = await kubectl(kubeconfig, [
      "get",
      "integration",
      "tickets",
      "-o",
      "jsonpath={.metadata.uid}",
    ]);
    expect(after).toBe(uid);
  }, 90_000);
});
