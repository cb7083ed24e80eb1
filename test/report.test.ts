import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { decode } from "fast-png";
import { beforeAll, describe, expect, it } from "vitest";
import { tints, colors } from "../src/report/curves.ts";
import { reportHtml } from "../src/report/page.ts";
import type { EpochMetrics, RunRecord } from "../src/report/run-record.ts";
import { runCli, temporaryDirectory, type CliRun } from "./helpers/cli.ts";

/**
 * `train --report` and `--metrics-out`: the page is checked for what it must never hold (anything from outside, user
 * text unescaped) and for what it must show (a curve point per epoch, the evaluation's counts), against the JSON log
 * of the same run; the JSON lines against that log; and a screenshot in headless Chromium for the loss curve's pixels.
 */

const repo = process.cwd();
type Json = Record<string, unknown>;
const jsonLines = (text: string): Json[] => text.trim().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Json);

/** The markup of one <svg data-chart="id">. */
function chart(html: string, id: string): string {
  const start = html.indexOf(`<svg class="chart${id.startsWith("confusion") ? " heatmap" : ""}" data-chart="${id}"`);
  return start < 0 ? "" : html.slice(start, html.indexOf("</svg>", start));
}

/** The points of a chart's series, in page coordinates. */
function seriesPoints(html: string, id: string, series: string): [number, number][] {
  const points = new RegExp(`<polyline class="series" data-series="${series}"[^>]* points="([^"]*)"`).exec(chart(html, id))?.[1];
  return points === undefined ? [] : points.split(" ").map((pair) => pair.split(",").map(Number) as [number, number]);
}

/** counts[true][predicted] as the heatmap's cells carry them. */
function heatmapCounts(html: string, id: string): number[][] {
  const counts: number[][] = [];
  for (const match of chart(html, id).matchAll(/data-row="(\d+)" data-col="(\d+)" data-count="(\d+)"/g)) {
    const [row, col, count] = [Number(match[1]), Number(match[2]), Number(match[3])];
    (counts[row] ??= [])[col] = count;
  }
  return counts;
}

/** Every attribute that could make a browser fetch something, and every element that could run or embed anything. */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) {
    if (/\s(src|href|xlink:href|srcset|action|poster|data)\s*=/i.test(tag) || /^<(script|link|img|iframe|object|embed|image|use|foreignObject)\b/i.test(tag)) found.push(tag);
  }
  if (/url\(|@import/i.test(html)) found.push("CSS url() or @import");
  return found;
}

/** The rank of each value (0 for the smallest): two lists with the same ranks are ordered alike. */
const ranks = (values: readonly number[]): number[] => values.map((v) => values.filter((w) => w < v).length);

describe("train --report --metrics-out on models/seattle-weather.yaml", () => {
  const dir = temporaryDirectory();
  const [html, jsonl] = [join(dir, "run.html"), join(dir, "run.jsonl")];
  let run: CliRun;
  beforeAll(async () => {
    run = await runCli(["train", "models/seattle-weather.yaml", "--epochs", "4", "--log-format", "json", "--report", html, "--metrics-out", jsonl]);
  }, 60_000);

  it("writes a page that fetches nothing and runs nothing", () => {
    expect(run.code).toBe(0);
    const page = readFileSync(html, "utf8");
    expect(page).not.toMatch(/https?:/);
    expect(externalReferences(page)).toEqual([]);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it("draws one point per logged epoch for each curve, ordered as the logged values", () => {
    const page = readFileSync(html, "utf8");
    const epochs = jsonLines(run.stdout).filter((line) => "epoch" in line);
    expect(epochs).toHaveLength(4);
    for (const [chartId, series, key] of [["loss", "loss", "loss"], ["loss", "val_loss", "val_loss"], ["lr", "lr", "lr"]] as const) {
      const points = seriesPoints(page, chartId, series);
      expect(points, `${chartId}/${series}`).toHaveLength(epochs.length);
      expect(ranks(points.map(([x]) => x))).toEqual([0, 1, 2, 3]); // epochs left to right
      // higher values are drawn higher, i.e. at smaller y
      if (key !== "lr") expect(ranks(points.map(([, y]) => -y))).toEqual(ranks(epochs.map((e) => e[key] as number)));
    }
  });

  it("has a labelled confusion-matrix heatmap per split whose cells are the logged evaluation's counts", () => {
    const page = readFileSync(html, "utf8");
    const evaluations = jsonLines(run.stdout).filter((line) => line["event"] === "eval");
    expect(evaluations.map((e) => e["split"])).toEqual(["validation", "test"]);
    for (const evaluation of evaluations) {
      const id = `confusion-${String(evaluation["split"])}`;
      expect(heatmapCounts(page, id)).toEqual(evaluation["confusion"]);
      for (const label of ["drizzle", "fog", "rain", "snow", "sun"]) expect(chart(page, id)).toContain(`>${label}</text>`);
    }
    expect(page).toContain("rnn (rnn)"); // the model summary
  });

  it("writes the log's numbers as JSON lines: each epoch, each evaluation, then a summary", () => {
    const log = jsonLines(run.stdout);
    const lines = jsonLines(readFileSync(jsonl, "utf8"));
    expect(lines.slice(0, 4)).toEqual(log.filter((line) => "epoch" in line));
    expect(lines.slice(4, 6)).toEqual(log.filter((line) => line["event"] === "eval"));
    expect(lines[6]).toMatchObject({ event: "summary", spec: "models/seattle-weather.yaml", epochs: 4, epochs_run: 4, kept_epoch: 4, stopped_early: false, diverged: null });
    expect(lines).toHaveLength(7);
  });

  it("is the same file byte for byte when the run is repeated (no date in it)", async () => {
    const again = join(dir, "again.html");
    expect((await runCli(["train", "models/seattle-weather.yaml", "--epochs", "4", "--report", again])).code).toBe(0);
    expect(readFileSync(again, "utf8")).toBe(readFileSync(html, "utf8"));
  }, 60_000);
});

describe("a regression report", () => {
  it("plots the test split's forecasts against the actual levels, one point per test window", async () => {
    const dir = temporaryDirectory();
    const result = await runCli(["train", "models/co2-forecast.yaml", "--epochs", "2", "--log-format", "json", "--report", join(dir, "co2.html")]);
    expect(result.code).toBe(0);
    const test = jsonLines(result.stdout).find((line) => line["split"] === "test");
    const page = readFileSync(join(dir, "co2.html"), "utf8");
    expect(seriesPoints(page, "forecast", "actual")).toHaveLength(test?.["count"] as number);
    expect(seriesPoints(page, "forecast", "predicted")).toHaveLength(test?.["count"] as number);
    expect(page).not.toContain('data-chart="confusion');
  }, 60_000);
});

describe("user text in the report", () => {
  it("escapes class labels and the spec's path, in text and in tooltips", async () => {
    const dir = temporaryDirectory();
    const labels = ["<script>alert(1)</script>", '"quoted" & <b>', "sun"];
    const csvField = (text: string) => `"${text.replace(/"/g, '""')}"`;
    const rows = Array.from({ length: 90 }, (_, i) => `2020-${String(1 + Math.floor(i / 28)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")},${(i * 7) % 11},${(i * 3) % 5},${csvField(labels[i % 3]!)}`);
    writeFileSync(join(dir, "days.csv"), ["date,a,b,weather", ...rows].join("\n") + "\n");
    const spec = readFileSync(resolve(repo, "models/seattle-weather.yaml"), "utf8")
      .replace("data/seattle-weather.csv", "days.csv")
      .replace("features: [precipitation, temp_max, temp_min, wind]", "features: [a, b]")
      .replace("[batch, 7, 4]", "[batch, 7, 2]")
      .replace("out_features: 5", "out_features: 3");
    const specName = `a<b>&"x'.yaml`;
    writeFileSync(join(dir, specName), spec);
    const result = await runCli(["train", specName, "--epochs", "2", "--report", "r.html"], dir);
    expect(result.code, result.stderr).toBe(0);
    const page = readFileSync(join(dir, "r.html"), "utf8");
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<b>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).toContain("&quot;quoted&quot; &amp; &lt;b&gt;");
    expect(page).toContain("a&lt;b&gt;&amp;&quot;x&#39;.yaml");
    expect(externalReferences(page)).toEqual([]);
  }, 60_000);
});

/** The seed's spec in a scratch project: dummy data, a second per run. */
function scratch(): string {
  const dir = temporaryDirectory();
  writeFileSync(join(dir, "package.json"), "{}\n");
  writeFileSync(join(dir, "seed.yaml"), readFileSync(resolve(repo, "models/simple-rnn.yaml"), "utf8").replace("epochs: 10", "epochs: 2"));
  return dir;
}

describe("output paths, checked before the first epoch", () => {
  it.each([
    [["--report", "seed.yaml"], "RNNC0102", /seed\.yaml is also the spec/],
    [["--metrics-out", "./seed.yaml"], "RNNC0102", /seed\.yaml is also the spec/],
    [["--report", "out", "--metrics-out", "./out"], "RNNC0160", /--report and --metrics-out both name out/],
    [["--save", "w.safetensors", "--report", "w.safetensors"], "RNNC0160", /--save and --report both name w\.safetensors/],
    [["--report", "missing/run.html"], "RNNC0004", /folder missing does not exist/],
    [["--metrics-out", "runs/"], "RNNC0004", /--metrics-out names the file to write/],
  ])("%j: %s, exit 2, nothing trained or written", async (args, code, message) => {
    const dir = scratch();
    writeFileSync(join(dir, "out"), "old\n");
    const result = await runCli(["train", "seed.yaml", ...args], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(code);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
    expect(readFileSync(join(dir, "seed.yaml"), "utf8")).toContain("name: simple-rnn");
    expect(readFileSync(join(dir, "out"), "utf8")).toBe("old\n");
    expect(existsSync(join(dir, "w.safetensors"))).toBe(false);
  });
});

describe("a run that diverges", () => {
  it("still writes both files, showing the epochs up to the divergence and what happened", async () => {
    const dir = scratch();
    const spec = readFileSync(join(dir, "seed.yaml"), "utf8")
      .replace("hidden_size: 20", "hidden_size: 8\n    nonlinearity: relu")
      .replace("optimizer: { op: adam, lr: 0.001 }", "optimizer: { op: sgd, lr: 4 }")
      .replace("train: { epochs: 2,", "train: { epochs: 30, divergence_factor: 3,");
    writeFileSync(join(dir, "blowup.yaml"), spec);
    const result = await runCli(["train", "blowup.yaml", "--report", "r.html", "--metrics-out", "m.jsonl"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("RNNC0050");
    const logged = result.stdout.split("\n").filter((line) => line.startsWith("Epoch [")).length;
    expect(logged).toBeGreaterThan(0);
    const lines = jsonLines(readFileSync(join(dir, "m.jsonl"), "utf8"));
    const summary = lines.at(-1);
    expect(lines.filter((line) => "epoch" in line)).toHaveLength(logged);
    expect(summary).toMatchObject({ event: "summary", epochs_run: logged, diverged: { epoch: logged + 1, step: expect.any(Number) } });
    expect(result.stderr).toContain(String((summary?.["diverged"] as Json)["what"]));
    const page = readFileSync(join(dir, "r.html"), "utf8");
    expect(seriesPoints(page, "loss", "loss")).toHaveLength(logged);
    expect(page).toContain(`diverged</span> in epoch ${logged + 1}`);
  }, 60_000);
});

describe("a resumed run", () => {
  it("reports the epochs it trained, numbered as the whole run's", async () => {
    const dir = scratch();
    expect((await runCli(["train", "seed.yaml", "--save", "c.safetensors"], dir)).code).toBe(0);
    const resumed = await runCli(["train", "seed.yaml", "--resume", "c.safetensors", "--epochs", "4", "--log-format", "json", "--report", "r.html", "--metrics-out", "m.jsonl"], dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    const logged = jsonLines(resumed.stdout).filter((line) => "epoch" in line);
    expect(logged.map((line) => line["epoch"])).toEqual([3, 4]);
    // the metrics file has every key of the log's lines (and the accuracy the log prints only for real data)
    const metrics = jsonLines(readFileSync(join(dir, "m.jsonl"), "utf8")).filter((line) => "epoch" in line);
    expect(metrics).toHaveLength(logged.length);
    metrics.forEach((line, i) => expect(line).toMatchObject(logged[i]!));
    const page = readFileSync(join(dir, "r.html"), "utf8");
    expect(seriesPoints(page, "loss", "loss")).toHaveLength(2);
    expect(page).toContain("3 to 4 of 4 (resumed after epoch 2)");
  }, 60_000);
});

/** A run record as `collectRun` makes it, for rendering without training. */
function record(epochs: readonly EpochMetrics[]): RunRecord {
  const summary = { name: "m", rows: [], parameters: 1, parameterBytes: 4, gradientBytes: 4, optimizerStateBytes: 8, activationBytes: 0, batchSize: 1, forwardFlops: 0, trainStepFlops: 0 };
  return { spec: "m.yaml", model: "m", version: "0", data: "d", task: "classification", optimizer: { op: "adam", lr: 0.1 }, batchSize: 1, seed: 0, epochsPlanned: 3, epochs, keptEpoch: epochs.length, stoppedEarly: false, evaluations: [], summary };
}

describe("the page without a run behind it", () => {
  const epochs: EpochMetrics[] = [1, 2, 3].map((epoch) => ({ epoch, loss: 2 / epoch, lr: 0.1 }));

  it("draws accuracy curves when the epoch records carry accuracy, and none when they do not", () => {
    const withAccuracy = reportHtml(record(epochs.map((e) => ({ ...e, accuracy: e.epoch / 4, validationAccuracy: e.epoch / 5 }))));
    expect(seriesPoints(withAccuracy, "accuracy", "accuracy")).toHaveLength(3);
    expect(seriesPoints(withAccuracy, "accuracy", "val_accuracy")).toHaveLength(3);
    expect(reportHtml(record(epochs))).not.toContain('data-chart="accuracy"');
  });

  it("says that no epoch completed instead of drawing an empty curve", () => {
    const page = reportHtml(record([]));
    expect(chart(page, "loss")).toContain("no epoch completed");
    expect(chart(page, "loss")).not.toContain("<polyline");
  });
});

const chromium = "/usr/bin/chromium";
if (!existsSync(chromium)) console.log(`report screenshot: skipped, ${chromium} is not installed (apt-get install chromium to run it)`);

/** A screenshot of a page in headless Chromium, as RGBA rows. */
async function screenshot(page: string): Promise<{ width: number; height: number; pixel: (x: number, y: number) => number[] }> {
  const dir = temporaryDirectory();
  writeFileSync(join(dir, "page.html"), page);
  const png = join(dir, "shot.png");
  const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  await promisify(execFile)(chromium, [...flags, `--user-data-dir=${join(dir, "profile")}`, `--screenshot=${png}`, "--window-size=1200,900", `file://${join(dir, "page.html")}`], { timeout: 60_000 });
  const image = decode(readFileSync(png));
  const channels = image.channels;
  return { width: image.width, height: image.height, pixel: (x, y) => Array.from(image.data.slice((y * image.width + x) * channels, (y * image.width + x) * channels + 3)) };
}

const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const near = (a: readonly number[], b: readonly number[], tolerance: number): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

/** Pixels of the loss curve's colour inside the loss chart's plot area, found by its tint. */
function lossStrokePixels(shot: Awaited<ReturnType<typeof screenshot>>): { area: number; stroke: number } {
  const tint = rgb(tints.loss);
  const box = { left: Infinity, top: Infinity, right: -1, bottom: -1 };
  for (let y = 0; y < shot.height; y++) {
    for (let x = 0; x < shot.width; x++) {
      if (!near(shot.pixel(x, y), tint, 1)) continue;
      box.left = Math.min(box.left, x);
      box.right = Math.max(box.right, x);
      box.top = Math.min(box.top, y);
      box.bottom = Math.max(box.bottom, y);
    }
  }
  const stroke = rgb(colors.loss);
  let count = 0;
  for (let y = box.top; y <= box.bottom; y++) for (let x = box.left; x <= box.right; x++) if (near(shot.pixel(x, y), stroke, 24)) count++;
  return { area: (box.right - box.left + 1) * (box.bottom - box.top + 1), stroke: count };
}

describe("the report in a browser", () => {
  it.skipIf(!existsSync(chromium))("shows the loss curve's stroke inside the loss chart, and none when no epoch ran", async () => {
    const dir = temporaryDirectory();
    expect((await runCli(["train", "models/seattle-weather.yaml", "--epochs", "6", "--report", join(dir, "r.html")])).code).toBe(0);
    const drawn = lossStrokePixels(await screenshot(readFileSync(join(dir, "r.html"), "utf8")));
    const empty = lossStrokePixels(await screenshot(reportHtml(record([]))));
    // the plot area is 480 × 184 px, found in both (less a corner the curve may cover); a 2 px line across it is
    // several hundred pixels (about 700 here with 6 epochs)
    for (const shot of [drawn, empty]) expect(Math.abs(shot.area / (480 * 184) - 1)).toBeLessThan(0.03);
    expect(drawn.stroke).toBeGreaterThan(300);
    expect(empty.stroke).toBe(0);
  }, 120_000);
});
