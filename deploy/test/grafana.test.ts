import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DASHBOARD_PATH = "deploy/grafana/relaycast.json";
/** Where every metric the processes serve is defined (prom-client `name: "relaycast_…"`). */
const METRIC_SOURCES = [
  "packages/media/src/metrics/media-metrics.ts",
  "packages/chat/src/metrics/chat-metrics.ts",
  "apps/web/src/lib/web-metrics.ts",
  "apps/ircd/src/main.ts",
];
/** prom-client's default metrics (collectDefaultMetrics with these prefixes): process_* and nodejs_*. */
const DEFAULT_METRICS = /^relaycast_(media|chat|web)_(process|nodejs)_[a-z_]+$/;
/** Series Prometheus makes of a histogram (and a summary). */
const SERIES_SUFFIX = /_(bucket|sum|count)$/;

type TTarget = { expr?: unknown; datasource?: { type?: string; uid?: string } };
type TPanel = {
  id?: number;
  type?: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: TTarget[];
  panels?: TPanel[];
};
type TVariable = { name?: string; type?: string; query?: unknown };
type TDashboard = {
  schemaVersion?: number;
  panels?: TPanel[];
  templating?: { list?: TVariable[] };
};

const readRepoFile = (path: string) => readFileSync(`${REPO_ROOT}${path}`, "utf8");
// JSON is YAML: the workspace's YAML parser reads the dashboard as it is.
const dashboard = parse(readRepoFile(DASHBOARD_PATH)) as TDashboard;

/** Every panel, rows' nested panels included. */
function allPanels(panels: TPanel[] = dashboard.panels ?? []): TPanel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}
const queryPanels = allPanels().filter((panel) => panel.type !== "row");

function definedMetricNames(): Set<string> {
  const names = new Set<string>();
  for (const path of METRIC_SOURCES) {
    for (const match of readRepoFile(path).matchAll(/name: "(relaycast_[a-z_]+)"/g)) names.add(match[1]!);
  }
  return names;
}

function isDefined(name: string, defined: Set<string>): boolean {
  const candidates = [name, name.replace(SERIES_SUFFIX, "")];
  return candidates.some((candidate) => defined.has(candidate) || DEFAULT_METRICS.test(candidate));
}

/** Every PromQL expression of the dashboard: the panels' targets and the variables' queries. */
function expressions(): string[] {
  const fromPanels = queryPanels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => String(target.expr ?? "")),
  );
  const fromVariables = (dashboard.templating?.list ?? [])
    .filter((variable) => variable.type === "query")
    .map((variable) =>
      typeof variable.query === "string"
        ? variable.query
        : String((variable.query as { query?: unknown })?.query),
    );
  return [...fromPanels, ...fromVariables];
}

describe(DASHBOARD_PATH, () => {
  it("is a Grafana dashboard model with a Prometheus data source variable", () => {
    expect(dashboard.schemaVersion).toBe(39);
    const variables = dashboard.templating?.list ?? [];
    expect(variables).toContainEqual(
      expect.objectContaining({ name: "datasource", type: "datasource", query: "prometheus" }),
    );
    expect(variables.map((variable) => variable.name)).toContain("job");
  });

  it("has the four rows: cluster, media, web and chat", () => {
    const rows = allPanels().filter((panel) => panel.type === "row");
    expect(rows.map((panel) => panel.title)).toEqual(["Cluster overview", "Media", "Web", "Chat"]);
  });

  it("gives every panel a unique id, a title, the data source variable and at least one query", () => {
    expect(queryPanels.length).toBeGreaterThan(0);
    const ids = allPanels().map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    const incomplete = queryPanels
      .filter(
        (panel) =>
          !panel.title?.trim() ||
          panel.datasource?.uid !== "${datasource}" ||
          (panel.targets ?? []).length === 0 ||
          (panel.targets ?? []).some(
            (target) => typeof target.expr !== "string" || target.expr.trim() === "",
          ),
      )
      .map((panel) => panel.title ?? `panel ${panel.id}`);
    expect(incomplete).toEqual([]);
  });

  it("queries only metrics the processes define", () => {
    const defined = definedMetricNames();
    // Sanity: the sources were read (one metric of each process).
    for (const name of [
      "relaycast_media_viewers",
      "relaycast_chat_messages_total",
      "relaycast_web_http_requests_total",
      "relaycast_ircd_up",
    ])
      expect(defined).toContain(name);
    const used = new Set(expressions().flatMap((expr) => expr.match(/relaycast_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((name) => !isDefined(name, defined))).toEqual([]);
  });
});

describe("docs/metrics.md", () => {
  it("lists every metric the processes define", () => {
    const doc = readRepoFile("docs/metrics.md");
    expect([...definedMetricNames()].filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });
});
