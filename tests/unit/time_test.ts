import assert from "node:assert/strict";
import { dayBounds, epochDay, localDate, wallClockInstant } from "../../src/domain/time.ts";

// The cached fast paths of src/domain/time.ts against plain Temporal, minute by minute, on the
// days around DST switches: a switch at 01:00 UTC (London), at 02:00 local (New York), at
// midnight (Santiago: the spring day starts at 01:00) and a half-hour one (Lord Howe).
const ZONES = ["Europe/London", "America/New_York", "America/Santiago", "Australia/Lord_Howe"];

function referenceLocalDate(instant: number, timeZone: string): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(timeZone)
    .toPlainDate();
}

function referenceWallClock(date: Temporal.PlainDate, minute: number, timeZone: string) {
  const day = minute >= 1440 ? date.add({ days: 1 }) : date;
  const m = minute % 1440;
  const pdt = day.toPlainDateTime({ hour: Math.floor(m / 60), minute: m % 60 });
  const earlier = pdt.toZonedDateTime(timeZone, { disambiguation: "earlier" });
  return earlier.toPlainDateTime().equals(pdt) ? earlier.epochMilliseconds : undefined;
}

/** The local dates of the first two offset changes of 2026, with the days either side. */
function switchDays(timeZone: string): Temporal.PlainDate[] {
  const days: Temporal.PlainDate[] = [];
  let t = Temporal.ZonedDateTime.from(`2026-01-01T00:00[${timeZone}]`);
  for (let i = 0; i < 2; i++) {
    t = t.getTimeZoneTransition("next")!;
    const d = t.toPlainDate();
    days.push(d.subtract({ days: 1 }), d, d.add({ days: 1 }));
  }
  return days;
}

Deno.test("time: localDate matches Temporal for every minute around DST switches, cached or not", () => {
  for (const zone of ZONES) {
    for (const date of switchDays(zone)) {
      const [start, end] = referenceBounds(date, zone);
      // Twice: the first pass fills the cache, the second is served from it.
      for (let pass = 0; pass < 2; pass++) {
        for (let t = start - 3_600_000; t <= end + 3_600_000; t += 60_000) {
          for (const instant of [t, t - 1]) {
            const want = referenceLocalDate(instant, zone);
            assert.ok(localDate(instant, zone).equals(want), `${zone} ${instant} ${want}`);
          }
        }
      }
    }
  }
});

function referenceBounds(date: Temporal.PlainDate, zone: string): [number, number] {
  return [
    date.toZonedDateTime({ timeZone: zone }).epochMilliseconds,
    date.add({ days: 1 }).toZonedDateTime({ timeZone: zone }).epochMilliseconds,
  ];
}

Deno.test("time: wallClockInstant and dayBounds match Temporal on DST switch days", () => {
  for (const zone of ZONES) {
    for (const date of switchDays(zone)) {
      assert.deepEqual(dayBounds(date, zone), referenceBounds(date, zone), `${zone} ${date}`);
      for (let pass = 0; pass < 2; pass++) {
        for (let minute = 0; minute <= 1440; minute++) {
          assert.equal(
            wallClockInstant(date, minute, zone),
            referenceWallClock(date, minute, zone),
            `${zone} ${date} minute ${minute}`,
          );
        }
      }
    }
  }
});

Deno.test("time: a spring-forward gap at midnight has no 00:00 (Santiago)", () => {
  const zone = "America/Santiago";
  const day = Temporal.PlainDate.from("2026-09-06");
  assert.equal(wallClockInstant(day, 0, zone), undefined);
  assert.equal(wallClockInstant(day, 60, zone), Date.parse("2026-09-06T01:00:00-03:00"));
});

Deno.test("time: epochDay counts days like Temporal across leap years and centuries", () => {
  const epoch = Temporal.PlainDate.from("1970-01-01");
  for (let d = Temporal.PlainDate.from("1899-12-25"); d.year < 2102; d = d.add({ days: 7 })) {
    assert.equal(epochDay(d), epoch.until(d).days, d.toString());
  }
  assert.equal(epochDay(Temporal.PlainDate.from("2000-02-29")), 11_016);
  assert.equal(epochDay(Temporal.PlainDate.from("2000-03-01")), 11_017);
});
