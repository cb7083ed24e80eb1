import { specSchema } from "./schema.ts";

/** The spec reference in the README, generated from schema.json so that the two cannot disagree. */
interface SchemaNode {
  readonly description?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly pattern?: string;
  readonly title?: string;
  readonly $ref?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
  readonly then?: SchemaNode;
  readonly else?: SchemaNode;
}

const root = specSchema as unknown as SchemaNode & { $defs: Record<string, SchemaNode> };

function resolve(node: SchemaNode): SchemaNode {
  const name = node.$ref?.split("/").pop();
  return name === undefined ? node : (root.$defs[name] ?? node);
}

function typeOf(node: SchemaNode): string {
  const target = resolve(node);
  if (target.const !== undefined) return `\`${JSON.stringify(target.const)}\``;
  // A `|` in a table cell ends the cell, even inside a code span: escaped.
  if (target.enum !== undefined) return target.enum.map((v) => `\`${String(v).replace(/\|/g, "\\|")}\``).join(" \\| ");
  const bounds = [
    target.minimum !== undefined ? `≥ ${target.minimum}` : target.exclusiveMinimum !== undefined ? `> ${target.exclusiveMinimum}` : "",
    target.maximum !== undefined ? `≤ ${target.maximum}` : target.exclusiveMaximum !== undefined ? `< ${target.exclusiveMaximum}` : "",
  ].filter((b) => b !== "");
  if (target.type === "array" && target.items !== undefined) return target.items.description !== undefined ? "list" : `list of ${typeOf(target.items)}`;
  if (Array.isArray(target.type)) return target.type.map((type) => typeOf({ ...target, type })).join(" \\| ");
  // a string that can only be one word (`threads: auto`): that word
  if (target.type === "string" && /^\^\w+\$$/.test(target.pattern ?? "")) return `\`"${(target.pattern ?? "").slice(1, -1)}"\``;
  if (node.$ref?.endsWith("/identifier")) return "id";
  return `${target.type ?? "mapping"}${bounds.length > 0 ? ` (${bounds.join(", ")})` : ""}`;
}

function table(node: SchemaNode): string[] {
  const rows = Object.entries(node.properties ?? {}).map(([key, property]) => {
    const required = node.required?.includes(key) ? "yes" : "";
    const fallback = resolve(property).default;
    const shown = fallback === undefined ? "" : `\`${JSON.stringify(fallback)}\``;
    const description = property.description ?? resolve(property).description ?? "";
    return `| \`${key}\` | ${typeOf(property)} | ${required} | ${shown} | ${description.replace(/\|/g, "\\|")} |`;
  });
  return ["| key | type | required | default | meaning |", "|---|---|---|---|---|", ...rows];
}

export function specReference(): string {
  const lines: string[] = ["### Top level", "", ...table(root), ""];
  lines.push("### Inputs (`input.<name>`)", "", ...table(resolve({ $ref: "#/$defs/tensor" })), "");
  const groups: [string, string][] = [
    ["Graph ops (`graph[]`)", "node"],
    ["Losses (`loss`)", "loss"],
    ["Optimizers (`optimizer`)", "optimizer"],
    ["Learning-rate schedules (`train.lr_schedule`)", "schedule"],
  ];
  for (const [heading, def] of groups) {
    lines.push(`### ${heading}`, "");
    for (const branch of root.$defs[def]?.oneOf ?? []) {
      const op = resolve(branch);
      lines.push(`#### \`${op.title ?? "?"}\``, "", op.description ?? "", "", ...table(op), "");
    }
  }
  const trainSection = root.properties?.["train"];
  if (trainSection !== undefined) lines.push("### Training (`train`)", "", ...table(trainSection), "");
  // `data` is a time series or text: an if/then/else over the presence of `text`, one table per branch.
  const dataSection = root.properties?.["data"];
  if (dataSection !== undefined) {
    lines.push("### Data (`data`)", "", dataSection.description ?? "", "");
    for (const branch of [dataSection.else, dataSection.then]) {
      if (branch === undefined) continue;
      const kind = resolve(branch);
      lines.push(`#### ${kind.title === "text" ? "Text" : "A time series"}`, "", kind.description ?? "", "", ...table(kind), "");
    }
    const textSource = root.$defs["textSource"];
    if (textSource !== undefined) lines.push("#### `data.text`", "", textSource.description ?? "", "", ...table(textSource), "");
  }
  return lines.join("\n");
}
