import type { Parameter } from "../ir/types.ts";

/**
 * Every generated name built from user text has a category prefix. Ids match [A-Za-z][A-Za-z0-9_]*, no prefix
 * is a prefix of another, and fixed names (locals, exports) carry none of them, so no two names can collide.
 */
export const names = {
  input: (name: string) => `in_${name}`,
  output: (id: string) => `out_${id}`,
  dOutput: (id: string) => `dout_${id}`,
  param: (parameter: Parameter) => `w_${parameter.name.replace(".", "_")}`,
  paramGrad: (parameter: Parameter) => `dw_${parameter.name.replace(".", "_")}`,
  scratch: (id: string, name: string) => `tmp_${id}_${name}`,
};
