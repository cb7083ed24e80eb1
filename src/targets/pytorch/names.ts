/**
 * Hygienic names for the generated Python: a spec id or input becomes a local variable of the same name unless that
 * would shadow a keyword, a builtin or a name the script itself uses, then it gets a suffix. Submodules keep the
 * id as their state_dict name whatever it is (see `moduleAccess`).
 */
const keywords = [
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
  "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
  "while", "with", "yield", "match", "case", "_",
];

/** Names the fixed parts of the script and the builtins it calls; a local named like one would shadow it. */
const scriptNames = [
  "argparse", "json", "math", "os", "struct", "sys", "torch", "nn", "F", "self", "recurrent", "counted", "gelu", "ContiguousGradient",
  "abs", "all", "any", "bool", "dict", "enumerate", "float", "getattr", "int", "isinstance", "len", "list", "max", "min", "open",
  "print", "range", "repr", "round", "set", "sorted", "str", "sum", "super", "tuple", "type", "zip",
];

/** nn.Module's own attributes (torch 1.13): `self.<id> = …` would replace one, so such ids go through `_modules`. */
const moduleAttributes = new Set([
  "T_destination", "add_module", "apply", "bfloat16", "buffers", "call_super_init", "children", "cpu", "cuda", "double", "dump_patches", "eval",
  "extra_repr", "float", "forward", "get_buffer", "get_extra_state", "get_parameter", "get_submodule", "half", "ipu", "load_state_dict",
  "modules", "named_buffers", "named_children", "named_modules", "named_parameters", "parameters", "register_backward_hook",
  "register_buffer", "register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook", "register_load_state_dict_post_hook",
  "register_module", "register_parameter", "requires_grad_", "set_extra_state", "share_memory", "state_dict", "to", "to_empty", "train",
  "training", "type", "xpu", "zero_grad",
]);

const keywordSet = new Set(keywords);

export class PythonNames {
  private readonly taken = new Set<string>([...keywords, ...scriptNames]);
  private readonly given = new Map<string, string>();

  /** The local variable for a spec value (input or node id), the same on every call for the same id. */
  local(id: string): string {
    const known = this.given.get(id);
    if (known !== undefined) return known;
    let name = id;
    while (this.taken.has(name)) name = `${name}_`;
    this.taken.add(name);
    this.given.set(id, name);
    return name;
  }
}

/** How the model reaches the submodule registered under `id`: `self.fc`, or `self._modules["train"]` when `self.train` is a method. */
export function moduleAccess(id: string): string {
  return keywordSet.has(id) || moduleAttributes.has(id) ? `self._modules[${JSON.stringify(id)}]` : `self.${id}`;
}
