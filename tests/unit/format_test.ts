import assert from "node:assert/strict";
import { formatDate, formatMonth, weekdayNames } from "../../src/ui/format.ts";

Deno.test("format: a plain date prints its own day in every zone, DST switch days included", () => {
  const zones = ["Europe/London", "America/New_York", "America/Santiago", "Pacific/Kiritimati"];
  for (const timeZone of zones) {
    const reference = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "long",
      year: "numeric",
    });
    for (let d = Temporal.PlainDate.from("2026-01-01"); d.year < 2027; d = d.add({ days: 1 })) {
      const noon = d.toZonedDateTime({ timeZone, plainTime: "12:00" }).epochMilliseconds;
      const want = reference.format(noon);
      assert.equal(formatDate(d, "en", timeZone), want, `${timeZone} ${d}`);
      assert.equal(formatDate(d, "en", timeZone), want, `${timeZone} ${d}, cached`);
    }
  }
});

Deno.test("format: month titles and weekday names in each language, asked twice", () => {
  for (let pass = 0; pass < 2; pass++) {
    assert.equal(formatMonth(Temporal.PlainYearMonth.from("2026-12"), "ru"), "Декабрь 2026 г.");
    assert.equal(formatMonth(Temporal.PlainYearMonth.from("2027-01"), "en"), "January 2027");
    assert.deepEqual(weekdayNames("en"), ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
    assert.deepEqual(weekdayNames("ru"), ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]);
  }
});
