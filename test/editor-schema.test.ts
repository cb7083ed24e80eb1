// Specs that editors understand: the YAML language server (what VS Code's YAML extension runs) must find the JSON
// Schema through each example spec's modeline alone, with no editor settings, then accept the spec, flag a mistake
// where it is, complete keys and show the schema's descriptions. The modeline's path is relative to the spec, and
// models/ and src/spec/schema.json keep their places in the package (test/package.test.ts), so this holds there too.
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { getLanguageService } from "yaml-language-server";
import { describe, expect, it } from "vitest";

const service = getLanguageService({
  schemaRequestService: async (uri: string) => readFileSync(fileURLToPath(uri), "utf8"),
  workspaceContext: { resolveRelativePath: (relativePath: string, resource: string) => new URL(relativePath, resource).href },
});
service.configure({ validate: true, completion: true, hover: true });

const schemaUrl = pathToFileURL(resolve("src/spec/schema.json")).href;
let version = 0;
const document = (path: string, text: string): TextDocument => TextDocument.create(pathToFileURL(resolve(path)).href, "yaml", ++version, text);
const lineOf = (text: string, needle: string): number => text.split("\n").findIndex((line) => line.includes(needle));
const specs = readdirSync("models").filter((file) => file.endsWith(".yaml"));

describe("the YAML language server with the example specs' modelines", () => {
  it.each(specs)("%s: accepted as it is; an unknown key is flagged at its line, with the schema named", async (file) => {
    const path = `models/${file}`;
    const text = readFileSync(path, "utf8");
    expect(await service.doValidation(document(path, text), false)).toEqual([]);

    const broken = text.replace(/^optimizer: \{ op: (\w+)/m, "optimizer: { op: $1, learning_rate: 1");
    expect(broken).not.toBe(text);
    const problems = await service.doValidation(document(path, broken), false);
    const unknown = problems.find((problem) => problem.message.includes("learning_rate"));
    expect(unknown?.range.start.line).toBe(lineOf(broken, "learning_rate"));
    expect((unknown?.data as { schemaUri?: string[] } | undefined)?.schemaUri).toEqual([schemaUrl]);
  });

  it("without the modeline the same mistake goes unseen: the modeline is what brings the schema", async () => {
    const text = readFileSync("models/simple-rnn.yaml", "utf8").replace(/^# yaml-language-server:.*\n/, "").replace("hidden_size: 20", "hiden_size: 20");
    expect(await service.doValidation(document("models/simple-rnn.yaml", text), false)).toEqual([]);
  });

  it("completes an op's keys and shows their descriptions from the schema", async () => {
    const text = readFileSync("models/simple-rnn.yaml", "utf8");
    const withGap = text.replace("    hidden_size: 20\n", "    hidden_size: 20\n    \n");
    const completion = await service.doComplete(document("models/simple-rnn.yaml", withGap), { line: lineOf(withGap, "hidden_size") + 1, character: 4 }, false);
    expect(completion.items.map((item) => item.label)).toEqual(expect.arrayContaining(["num_layers", "bidirectional", "nonlinearity", "dropout"]));

    const schema = JSON.parse(readFileSync("src/spec/schema.json", "utf8")) as unknown;
    const described = JSON.stringify(schema).includes("Size of the hidden state, per direction.");
    expect(described).toBe(true);
    const hover = await service.doHover(document("models/simple-rnn.yaml", text), { line: lineOf(text, "hidden_size"), character: 6 });
    expect(JSON.stringify(hover?.contents)).toContain("Size of the hidden state, per direction.");
  });
});
