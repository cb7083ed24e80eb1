/** Documented in the README; scripts rely on them. */
export const exitCodes = {
  ok: 0,
  checkFailed: 1,
  userError: 2,
  internalError: 70,
} as const;
