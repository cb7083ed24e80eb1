import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import type { DataConfig } from "./config.ts";
import type { Task } from "./preprocessing.ts";
import { compileTimeFormat } from "./time-format.ts";

type At = (path: readonly (string | number)[]) => SourcePosition;

/**
 * What the `data` section asks of its columns, checked against itself before any file is read, and reported at the
 * spec key that says it (reading the CSV first reported these at the CSV's 1:1). A column plays one role: the time
 * orders the rows, so it is not also a feature or the target; a class target is not also a (numeric) feature; a
 * feature is listed once. A regression target may be a feature: that is how a series predicts its own future.
 */
export function checkColumnRoles(config: DataConfig, task: Task, at: At): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const { time, features, target } = config;
  features.forEach((feature, i) => {
    const where = at(["data", "features", i]);
    if (feature === time) {
      diagnostics.push(diag.dataColumnRole(where, `\`${feature}\` is the time column (\`data.time\`), so it cannot also be a feature`, "remove it from `features`: rows are put in time order by it, and the model sees the steps in that order"));
    } else if (task === "classification" && feature === target) {
      diagnostics.push(diag.dataColumnRole(where, `\`${feature}\` is the class target, so it cannot also be a feature: features are numbers, classes are names`, "remove it from `features`; to use earlier classes as input, add a numeric column that encodes them"));
    } else if (features.indexOf(feature) !== i) {
      diagnostics.push(diag.dataColumnRole(where, `the feature \`${feature}\` is listed twice`, "list each feature once: twice would silently double its weight"));
    }
  });
  if (target === time) {
    diagnostics.push(diag.dataColumnRole(at(["data", "target"]), `\`${target}\` is the time column (\`data.time\`), so it cannot also be the target`, "predict another column; the time only orders the rows"));
  }
  const format = config.time_format;
  if (format !== undefined) {
    const compiled = compileTimeFormat(format);
    const why = "why" in compiled ? compiled.why : time === undefined ? "there is no `data.time` column for it to read" : undefined;
    if (why !== undefined) diagnostics.push(diag.invalidTimeFormat(at(["data", "time_format"]), format, why));
  }
  return diagnostics;
}
