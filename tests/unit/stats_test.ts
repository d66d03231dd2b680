import assert from "node:assert/strict";
import {
  availableMinutes,
  changeVersus,
  chartBuckets,
  loadPercent,
  percentOf,
  periodContaining,
  periodDates,
  periodInstants,
  shiftPeriod,
  visibleRange,
} from "../../src/domain/stats.ts";
import { parsePeriod } from "../../src/domain/date_input.ts";
import { barChartPng, barChartSvg, digitsPath, niceScale, pngSize } from "../../src/ops/chart.ts";

const date = (s: string) => Temporal.PlainDate.from(s);

Deno.test("stats: a day, an ISO week (Mon–Sun) and a month contain the date", () => {
  const wed = date("2026-12-02");
  const day = periodContaining("day", wed);
  assert.equal(day.start.toString(), "2026-12-02");
  assert.equal(day.end.toString(), "2026-12-03");
  const week = periodContaining("week", wed);
  assert.equal(week.start.toString(), "2026-11-30");
  assert.equal(week.end.toString(), "2026-12-07");
  assert.equal(periodContaining("week", date("2026-12-06")).start.toString(), "2026-11-30");
  assert.equal(periodContaining("week", date("2026-11-30")).start.toString(), "2026-11-30");
  const month = periodContaining("month", wed);
  assert.equal(month.start.toString(), "2026-12-01");
  assert.equal(month.end.toString(), "2027-01-01");
  assert.equal(periodDates(month).length, 31);
  assert.equal(periodDates(week).length, 7);
});

Deno.test("stats: previous and next periods keep their kind, across years and short months", () => {
  const jan = periodContaining("month", date("2027-01-15"));
  assert.equal(shiftPeriod(jan, -1).start.toString(), "2026-12-01");
  const mar = periodContaining("month", date("2027-03-31"));
  assert.equal(shiftPeriod(mar, -1).start.toString(), "2027-02-01");
  assert.equal(periodDates(shiftPeriod(mar, -1)).length, 28);
  const week = periodContaining("week", date("2026-12-31"));
  assert.equal(shiftPeriod(week, 1).start.toString(), "2027-01-04");
  assert.equal(
    shiftPeriod(periodContaining("day", date("2026-12-31")), 1).start.toString(),
    "2027-01-01",
  );
});

Deno.test("stats: period instants and hour buckets follow the time zone, DST days included", () => {
  const day = periodContaining("day", date("2026-12-01"));
  assert.deepEqual(periodInstants(day, "Europe/Moscow"), [
    Date.parse("2026-11-30T21:00:00Z"),
    Date.parse("2026-12-01T21:00:00Z"),
  ]);
  assert.equal(chartBuckets(day, "Europe/Moscow").length, 24);
  // Berlin springs forward on 29 March 2026 and falls back on 25 October 2026.
  assert.equal(
    chartBuckets(periodContaining("day", date("2026-03-29")), "Europe/Berlin").length,
    23,
  );
  assert.equal(
    chartBuckets(periodContaining("day", date("2026-10-25")), "Europe/Berlin").length,
    25,
  );
  const week = chartBuckets(periodContaining("week", date("2026-03-25")), "Europe/Berlin");
  assert.equal(week.length, 7);
  for (let i = 1; i < week.length; i++) assert.equal(week[i][0], week[i - 1][1], "no gaps");
  assert.equal(week[6][1] - week[6][0], 23 * 3_600_000, "Sunday 29 March has 23 hours");
});

Deno.test("stats: percentages, change against the previous period, load", () => {
  assert.equal(percentOf(1, 3), 33);
  assert.equal(percentOf(2, 3), 67);
  assert.equal(percentOf(0, 5), 0);
  assert.equal(percentOf(3, 0), undefined);
  assert.deepEqual(changeVersus(112, 100), { kind: "up", percent: 12 });
  assert.deepEqual(changeVersus(5, 10), { kind: "down", percent: 50 });
  assert.deepEqual(changeVersus(0, 4), { kind: "down", percent: 100 });
  assert.deepEqual(changeVersus(3, 0), { kind: "from_zero" });
  assert.deepEqual(changeVersus(0, 0), { kind: "same" });
  assert.deepEqual(changeVersus(7, 7), { kind: "same" });
  assert.equal(loadPercent(120, 480), 25);
  assert.equal(loadPercent(60, 0), undefined);
});

Deno.test("stats: available minutes are hours minus breaks inside them, zero when off", () => {
  const hours = { start: 9 * 60, end: 18 * 60 };
  assert.equal(availableMinutes({ hours, breaks: [], dayOff: false }), 540);
  assert.equal(
    availableMinutes({ hours, breaks: [{ start: 780, end: 840 }], dayOff: false }),
    480,
  );
  // Overlapping breaks count once; a break partly outside the hours only counts inside.
  assert.equal(
    availableMinutes({
      hours,
      breaks: [{ start: 780, end: 840 }, { start: 810, end: 870 }, { start: 480, end: 570 }],
      dayOff: false,
    }),
    540 - 90 - 30,
  );
  assert.equal(availableMinutes({ hours, breaks: [], dayOff: true }), 0);
  assert.equal(availableMinutes({ breaks: [], dayOff: false }), 0);
});

Deno.test("stats: the visible hour range covers working hours and every booking", () => {
  const hours = Array.from({ length: 24 }, () => 0);
  assert.deepEqual(visibleRange(hours, 9, 18), [9, 18]);
  hours[7] = 2;
  hours[20] = 1;
  assert.deepEqual(visibleRange(hours, 9, 18), [7, 21]);
});

Deno.test("chart: nice axis scale and seven-segment digits", () => {
  assert.deepEqual(niceScale(0), { top: 4, step: 1 });
  assert.deepEqual(niceScale(3), { top: 3, step: 1 });
  assert.deepEqual(niceScale(7), { top: 8, step: 2 });
  assert.deepEqual(niceScale(93), { top: 100, step: 50 });
  assert.equal(digitsPath("1", 0, 0, 10), "M2.5 0L2.5 5M2.5 5L2.5 10");
  assert.equal((digitsPath("8", 0, 0, 10).match(/M/g) ?? []).length, 7);
  const svg = barChartSvg({ values: [1, 0, 3], labels: ["1", "2", "3"], width: 300, height: 200 });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="300" height="200"/);
  assert.equal((svg.match(/<rect x=/g) ?? []).length, 2, "one bar per non-zero value");
  assert.doesNotMatch(svg, /<text/, "no text elements: resvg-wasm has no fonts");
});

Deno.test("chart: the PNG has the signature and the IHDR size asked for", async () => {
  const png = await barChartPng({
    values: [3, 0, 5, 12, 1, 0, 7],
    labels: ["30", "1", "2", "3", "4", "5", "6"],
    width: 640,
    height: 320,
  });
  assert.deepEqual([...png.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.deepEqual(pngSize(png), { width: 640, height: 320 });
  // A second render reuses the initialised WebAssembly module.
  const again = await barChartPng({ values: [], labels: [], width: 100, height: 50 });
  assert.deepEqual(pngSize(again), { width: 100, height: 50 });
});

Deno.test("feedback filter: custom periods are read from ISO or dotted dates", () => {
  const read = (text: string) => {
    const range = parsePeriod(text, { single: true });
    return range.ok ? `${range.value.from}..${range.value.to}` : undefined;
  };
  assert.equal(read("2026-11-01 2026-11-30"), "2026-11-01..2026-11-30");
  assert.equal(read("1.11.2026 - 30.11.2026"), "2026-11-01..2026-11-30");
  assert.equal(read("03.12.2026"), "2026-12-03..2026-12-03");
  // One reader on every screen: the ends may come in any order, as on the bookings screen.
  assert.equal(read("2026-11-30 2026-11-01"), "2026-11-01..2026-11-30");
  assert.equal(read("31.02.2026"), undefined);
  assert.equal(read("yesterday"), undefined);
  assert.equal(read("2026-11-01 2026-11-02 2026-11-03"), undefined);
});
