import type { Optimizer } from "../../ir/types.ts";
import type { Adagrad } from "../../ops/adagrad.ts";
import type { Adam } from "../../ops/adam.ts";
import type { optimizerOpNames } from "../../ops/registry.ts";
import type { Rmsprop } from "../../ops/rmsprop.ts";
import type { Sgd } from "../../ops/sgd.ts";
import { pyBool, pyFloat, pyString } from "./python-writer.ts";

/**
 * How an optimizer reads in PyTorch: the torch.optim constructor with every hyperparameter spelled out, so the
 * script does not depend on PyTorch's defaults staying what rnnc's are. Keyed by the registry's names.
 */
export type PythonOptimizer<Node extends Optimizer> = (optimizer: Node) => string;

const adam = (name: string) => (o: Adam) =>
  `torch.optim.${name}(parameters, lr=${pyFloat(o.lr)}, betas=(${pyFloat(o.beta1)}, ${pyFloat(o.beta2)}), eps=${pyFloat(o.eps)}, weight_decay=${pyFloat(o.weightDecay)}, amsgrad=${pyBool(o.amsgrad)})`;

const table: { readonly [Op in (typeof optimizerOpNames)[number]]: PythonOptimizer<never> } = {
  adam: adam("Adam"),
  adamw: adam("AdamW"),
  sgd: (o: Sgd) =>
    `torch.optim.SGD(parameters, lr=${pyFloat(o.lr)}, momentum=${pyFloat(o.momentum)}, dampening=${pyFloat(o.dampening)}, weight_decay=${pyFloat(o.weightDecay)}, nesterov=${pyBool(o.nesterov)})`,
  rmsprop: (o: Rmsprop) =>
    `torch.optim.RMSprop(parameters, lr=${pyFloat(o.lr)}, alpha=${pyFloat(o.alpha)}, eps=${pyFloat(o.eps)}, weight_decay=${pyFloat(o.weightDecay)}, momentum=${pyFloat(o.momentum)}, centered=${pyBool(o.centered)})`,
  adagrad: (o: Adagrad) =>
    `torch.optim.Adagrad(parameters, lr=${pyFloat(o.lr)}, lr_decay=${pyFloat(o.lrDecay)}, weight_decay=${pyFloat(o.weightDecay)}, initial_accumulator_value=${pyFloat(o.initialAccumulator)}, eps=${pyFloat(o.eps)})`,
};

/** The constructor expression of the spec's optimizer over `parameters` (the cast as in layers.ts). */
export function pythonOptimizer(optimizer: Optimizer): string {
  const entry = Object.hasOwn(table, optimizer.op) ? (table as Readonly<Record<string, PythonOptimizer<never>>>)[optimizer.op] : undefined;
  if (entry === undefined) throw new Error(`no PyTorch form for optimizer ${pyString(optimizer.op)}`);
  return (entry as unknown as PythonOptimizer<Optimizer>)(optimizer);
}
