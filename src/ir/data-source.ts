import { checkColumnRoles } from "../data/column-roles.ts";
import { checkFractions } from "../data/split.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { diag } from "../diagnostics/codes.ts";
import type { Spec } from "../spec/types.ts";
import type { Positions } from "./lower.ts";
import { showType, staticSize, type DataSource, type InputNode, type LayerNode, type Loss } from "./types.ts";

/**
 * Checks a spec's `data` section against the graph it feeds: the windows go to the one spec input the layers read,
 * which must be [batch, window, features]; the task follows from the loss; early stopping needs a validation split.
 */
export function lowerDataSource(spec: Spec, inputs: readonly InputNode[], layers: readonly LayerNode[], loss: Loss, positions: Positions, diagnostics: Diagnostic[]): DataSource | undefined {
  const config = spec.data;
  if (config === undefined) {
    if (spec.train.patience !== undefined) {
      diagnostics.push(diag.dataMismatch(positions.positionOf(["train", "patience"]), "early stopping needs a validation split, and only a `data` section has one", "add a `data:` section, or remove `patience`"));
    }
    return undefined;
  }
  const at = positions.positionOf(["data"]);
  const read = inputs.filter((input) => layers.some((node) => node.input === input.id));
  const featureInput = read[0];
  if (read.length !== 1 || featureInput === undefined) {
    diagnostics.push(diag.dataMismatch(at, `a \`data\` section feeds one input, but the graph reads ${read.length}`, "read the windows through one input like `x: { shape: [batch, window, features], dtype: float32 }`"));
    return undefined;
  }
  const [, seq, features] = featureInput.type.dims;
  const expected = `[batch, ${config.window}, ${config.features.length}]`;
  if (featureInput.type.dims.length !== 3 || seq === undefined || staticSize(seq) !== config.window) {
    diagnostics.push(
      diag.dataMismatch(positions.positionOf(["data", "window"]), `the windows are ${config.window} steps long, but \`${featureInput.id}\` is [${showType(featureInput.type).join(", ")}]`, `declare \`${featureInput.id}\` as ${expected}`),
    );
  } else if (features === undefined || staticSize(features) !== config.features.length) {
    diagnostics.push(
      diag.dataMismatch(positions.positionOf(["data", "features"]), `${config.features.length} feature columns are named, but \`${featureInput.id}\` has ${features === undefined ? "no" : staticSize(features)} features per step`, `declare \`${featureInput.id}\` as ${expected}`),
    );
  }
  const task = loss.task;
  diagnostics.push(...checkColumnRoles(config, task, (path) => positions.positionOf(path)));
  // A pure property of the spec: reported now, at `split`, not when `train` has read the CSV.
  diagnostics.push(...checkFractions(config.split, positions.positionOf(["data", "split"])));
  if (task === "regression" && loss.width !== 1) {
    diagnostics.push(diag.dataMismatch(positions.positionOf(["loss", "input"]), `a CSV target is one number per window, but \`${loss.input}\` predicts ${loss.width}`, "end the graph with `linear` of `out_features: 1`"));
  }
  if (spec.train.patience !== undefined && config.split.validation === 0) {
    diagnostics.push(diag.dataMismatch(positions.positionOf(["train", "patience"]), "early stopping needs a validation split, but `data.split.validation` is 0", "give the validation split a fraction, or remove `patience`"));
  }
  return { config, task, featureInput: featureInput.id, at, csvAt: positions.positionOf(["data", "csv"]), targetAt: positions.positionOf(["data", "target"]) };
}
