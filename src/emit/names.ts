import type { Parameter } from "../ir/types.ts";

/**
 * Hands out the generated module's buffer names, as Svelte's `scope.generate`: each semantic buffer (an input, a
 * node's output, a parameter, a scratch buffer …) gets a readable name with a category prefix, and the allocator
 * guarantees no two buffers share a name whatever the ids (`a` + scratch `b_c` and `a_b` + `c` would otherwise both
 * be `tmp_a_b_c`): a taken name gets `_2`, `_3`, … in the order names are first asked for, which is deterministic.
 * Every buffer name contains an underscore and starts with a prefix no fixed name has; emitters' locals have none.
 */
export class BufferNames {
  private readonly byKey = new Map<string, string>();
  private readonly taken: Set<string>;

  /**
   * `prefix` (e.g. `stream_` for the buffers of the streaming API) is prepended to every name; allocators made with
   * `within` share its taken names, so the two sets cannot collide either.
   */
  constructor(
    private readonly prefix = "",
    within?: BufferNames,
  ) {
    this.taken = within?.taken ?? new Set<string>();
  }

  private allocate(key: string, wanted: string): string {
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const preferred = `${this.prefix}${wanted}`;
    let name = preferred;
    for (let n = 2; this.taken.has(name); n++) name = `${preferred}_${n}`;
    this.taken.add(name);
    this.byKey.set(key, name);
    return name;
  }

  input(id: string): string {
    return this.allocate(`input:${id}`, `in_${id}`);
  }
  output(id: string): string {
    return this.allocate(`output:${id}`, `out_${id}`);
  }
  dOutput(id: string): string {
    return this.allocate(`dOutput:${id}`, `dout_${id}`);
  }
  param(parameter: Parameter): string {
    return this.allocate(`param:${parameter.name}`, `w_${parameter.name.replace(".", "_")}`);
  }
  paramGrad(parameter: Parameter): string {
    return this.allocate(`grad:${parameter.name}`, `dw_${parameter.name.replace(".", "_")}`);
  }
  scratch(id: string, name: string): string {
    return this.allocate(`scratch:${id}\u0000${name}`, `tmp_${id}_${name}`);
  }
  state(id: string, name: string): string {
    return this.allocate(`state:${id}\u0000${name}`, `state_${id}_${name}`);
  }
  optimizerState(name: string): string {
    return this.allocate(`optimizer:${name}`, `opt_${name}`);
  }
}
