import { describe, expect, it } from "vitest";
import { meanStd } from "../../src/data/statistics.ts";

describe("meanStd", () => {
  it("is the population mean and std", () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, /8 = 4.
    expect(meanStd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, std: 2 });
  });

  it("scales a constant column by 1 rather than dividing by 0, judging constancy by the column's magnitude", () => {
    expect(meanStd([0, 0, 0]).std).toBe(1);
    expect(meanStd([0.1, 0.1, 0.1]).std).toBe(1);
    expect(meanStd([1e-15, 3e-15]).std).toBeCloseTo(1e-15, 25);
    expect(meanStd([]).std).toBe(1);
  });

  it("does not underflow or overflow when squaring extreme magnitudes", () => {
    expect(meanStd([0, 2e-160]).std).toBeCloseTo(1e-160, 170);
    expect(meanStd([0, 2e160]).std / 1e160).toBeCloseTo(1, 12);
  });
});
