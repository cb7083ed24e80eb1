import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

/**
 * Data files a shared spec could point at, and data that used to be read differently on different machines: the
 * cases that need a file system set up at run time (links, FIFOs, folders without a project marker, time zones).
 */

const regressionSpec = (csv: string, extra = ""): string =>
  [
    "version: 1",
    "name: hourly",
    "input:",
    "  x: { shape: [batch, 4, 1], dtype: float32 }",
    "  y: { shape: [batch], dtype: float32 }",
    "graph:",
    "  - { id: rnn, op: rnn, hidden_size: 4 }",
    "  - { id: last, op: last_step }",
    "  - { id: fc, op: linear, out_features: 1 }",
    "loss: { op: mse, input: fc, target: y }",
    "optimizer: { op: adam, lr: 0.01 }",
    "train: { epochs: 2, batch_size: 8, seed: 0 }",
    "data:",
    `  csv: ${JSON.stringify(csv)}`,
    "  time: t",
    "  features: [v]",
    "  target: v",
    "  window: 4",
    extra,
  ].join("\n");

const hourly = (rows: number): string => ["t,v", ...Array.from({ length: rows }, (_, i) => `${new Date(Date.UTC(2020, 0, 1, i)).toISOString().slice(0, 16)},${Math.sin(i / 3).toFixed(4)}`)].join("\n") + "\n";

/** A project folder (package.json marks it) with the spec in models/. */
function project(csv: string, csvText: string | undefined = hourly(60)): string {
  const dir = temporaryDirectory();
  writeFileSync(join(dir, "package.json"), "{}\n");
  mkdirSync(join(dir, "models"));
  writeFileSync(join(dir, "models", "m.yaml"), regressionSpec(csv));
  if (csvText !== undefined) writeFileSync(join(dir, "models", "data.csv"), csvText);
  return dir;
}

describe("where a spec may read", () => {
  it("a link inside the project to a file outside it is outside (links are resolved)", async () => {
    const dir = project("leak.csv", undefined);
    symlinkSync("/etc/passwd", join(dir, "models", "leak.csv"));
    const result = await runCli(["train", "models/m.yaml"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^models\/m\.yaml:14:8: error RNNC0121: the data file models\/leak\.csv is outside the spec's project/m);
    expect(result.stderr).not.toContain("root:");
  });

  it("a FIFO is refused at once, not waited on", async () => {
    const dir = project("pipe.csv", undefined);
    execFileSync("mkfifo", [join(dir, "models", "pipe.csv")]);
    const result = await runCli(["train", "models/m.yaml"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("RNNC0001: cannot read models/pipe.csv: it is not a regular file");
  });

  it("an absolute path inside the project is read as written, not joined onto the spec's folder", async () => {
    const dir = project("placeholder");
    writeFileSync(join(dir, "models", "m.yaml"), regressionSpec(join(dir, "models", "data.csv")));
    const result = await runCli(["train", "models/m.yaml", "--epochs", "1", "--quiet"], dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("a data file in a parent folder of the project is refused; --allow-external-data reads it", async () => {
    const outer = temporaryDirectory();
    writeFileSync(join(outer, "data.csv"), hourly(60));
    const dir = join(outer, "inner");
    mkdirSync(join(dir, "models"), { recursive: true });
    writeFileSync(join(dir, "package.json"), "{}\n");
    writeFileSync(join(dir, "models", "m.yaml"), regressionSpec("../../data.csv"));
    const refused = await runCli(["train", "models/m.yaml", "--epochs", "1"], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("RNNC0121");
    expect(refused.stderr).toContain("--allow-external-data");
    const allowed = await runCli(["train", "models/m.yaml", "--epochs", "1", "--allow-external-data"], dir);
    expect(allowed.code).toBe(0);
  });

  it("without package.json or .git above it, the spec's own folder is the project", async () => {
    const outer = temporaryDirectory();
    writeFileSync(join(outer, "data.csv"), hourly(60));
    mkdirSync(join(outer, "specs"));
    writeFileSync(join(outer, "specs", "near.csv"), hourly(60));
    writeFileSync(join(outer, "specs", "far.yaml"), regressionSpec("../data.csv"));
    writeFileSync(join(outer, "specs", "near.yaml"), regressionSpec("near.csv"));
    expect((await runCli(["train", "specs/far.yaml", "--epochs", "1"], outer)).stderr).toContain("RNNC0121");
    expect((await runCli(["train", "specs/near.yaml", "--epochs", "1"], outer)).code).toBe(0);
  });
});

describe("dates", () => {
  it("the issue's two rows train the same under any time zone (8:00 UTC and 00:00 UTC are different rows)", async () => {
    const rows = ["t,v", "2000-01-01T08:00,1", "2000/01/01 00:00,2", ...Array.from({ length: 40 }, (_, i) => `2000-01-${String(2 + Math.floor(i / 24)).padStart(2, "0")}T${String(i % 24).padStart(2, "0")}:00,${i % 5}`)];
    const dir = project("data.csv", `${rows.join("\n")}\n`);
    const saved = process.env["TZ"];
    const outputs: string[] = [];
    try {
      for (const tz of ["UTC", "America/Los_Angeles", "Asia/Tokyo"]) {
        process.env["TZ"] = tz;
        const result = await runCli(["train", "models/m.yaml", "--epochs", "1", "--diagnostics", "json"], dir);
        expect(result.stderr).not.toContain("RNNC0085");
        expect(result.code).toBe(0);
        outputs.push(result.stdout);
      }
    } finally {
      if (saved === undefined) delete process.env["TZ"];
      else process.env["TZ"] = saved;
    }
    expect(new Set(outputs).size).toBe(1);
  });

  it("predict prints hourly forecasts with their hours, and the horizon", async () => {
    const dir = project("data.csv");
    const weights = join(dir, "w.safetensors");
    expect((await runCli(["train", "models/m.yaml", "--save", weights], dir)).code).toBe(0);
    const result = await runCli(["predict", "models/m.yaml", "--weights", weights, "--last", "3"], dir);
    expect(result.code).toBe(0);
    const times = result.stdout.trim().split("\n").map((line) => line.split(" ")[0]);
    expect(times).toEqual(["2020-01-03T09:00Z", "2020-01-03T10:00Z", "2020-01-03T11:00Z"]);
    expect(result.stdout).toMatch(/^2020-01-03T11:00Z \+1: -?\d/m);
  });
});

describe("text from the CSV on the terminal", () => {
  it("class labels with escape sequences are printed escaped by train and predict", async () => {
    const dir = temporaryDirectory();
    const labels = ["sun\u001b[2J", "rain\u0007", "fog"];
    const rows = ["t,a,label", ...Array.from({ length: 40 }, (_, i) => `2020-01-${String(1 + (i % 28)).padStart(2, "0")}T${String(Math.floor(i / 28)).padStart(2, "0")}:00,${i % 7},"${labels[i % 3] ?? ""}"`)];
    writeFileSync(join(dir, "data.csv"), `${rows.join("\n")}\n`);
    const spec = regressionSpec("data.csv")
      .replace("name: hourly", "name: labels")
      .replace("y: { shape: [batch], dtype: float32 }", "y: { shape: [batch], dtype: int32 }")
      .replace("out_features: 1", "out_features: 3")
      .replace("op: mse", "op: cross_entropy")
      .replace("features: [v]", "features: [a]")
      .replace("target: v", "target: label");
    writeFileSync(join(dir, "m.yaml"), spec);
    const weights = join(dir, "w.safetensors");
    const trained = await runCli(["train", "m.yaml", "--save", weights], dir);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toContain("sun\\u001b[2J");
    expect(trained.stdout).not.toMatch(/[\u0007\u001b]/);
    const predicted = await runCli(["predict", "m.yaml", "--weights", weights, "--last", "2"], dir);
    expect(predicted.code).toBe(0);
    expect(predicted.stdout).not.toMatch(/[\u0007\u001b]/);
  });
});

describe("line endings", () => {
  it("a CR-only CSV trains exactly as its LF original", async () => {
    const lf = project("data.csv");
    const cr = project("data.csv", hourly(60).replace(/\n/g, "\r"));
    const a = await runCli(["train", "models/m.yaml", "--log-format", "json"], lf);
    const b = await runCli(["train", "models/m.yaml", "--log-format", "json"], cr);
    expect(b.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });
});
