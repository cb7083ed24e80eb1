/**
 * Times printed as precisely as the data is written, and no more: daily data prints `2015-12-31`, hourly data
 * `2015-12-31T08:00Z` (three forecasts from one day must not all print as that day), monthly data `2015-12`.
 * Always UTC, as times are read.
 */
export type TimeResolution = "year" | "month" | "day" | "minute" | "second" | "millisecond";

/** The coarsest resolution at which every time is exact. */
export function timeResolution(times: Iterable<number>): TimeResolution {
  const order: TimeResolution[] = ["year", "month", "day", "minute", "second", "millisecond"];
  let finest = 0;
  for (const ms of times) {
    const date = new Date(ms);
    const level =
      date.getUTCMilliseconds() !== 0 ? 5
      : date.getUTCSeconds() !== 0 ? 4
      : date.getUTCHours() !== 0 || date.getUTCMinutes() !== 0 ? 3
      : date.getUTCDate() !== 1 ? 2
      : date.getUTCMonth() !== 0 ? 1
      : 0;
    finest = Math.max(finest, level);
    if (finest === order.length - 1) break;
  }
  return order[finest] ?? "millisecond";
}

/** ISO 8601 cut to the resolution; times of day carry `Z`, since they are UTC. */
export function formatTime(ms: number, resolution: TimeResolution): string {
  const iso = new Date(ms).toISOString(); // 2015-12-31T08:00:00.000Z
  switch (resolution) {
    case "year":
      return iso.slice(0, 4);
    case "month":
      return iso.slice(0, 7);
    case "day":
      return iso.slice(0, 10);
    case "minute":
      return `${iso.slice(0, 16)}Z`;
    case "second":
      return `${iso.slice(0, 19)}Z`;
    case "millisecond":
      return iso;
  }
}
