import assert from "node:assert/strict";
import { parseDay, parsePeriod } from "../../src/domain/date_input.ts";
import { CSV_BOM, csvField, csvLine, guardFormula, parseCsv } from "../../src/domain/csv.ts";
import { presetPeriod } from "../../src/services/admin_bookings.ts";

Deno.test("csv: plain fields stay as they are, null is empty", () => {
  assert.equal(csvField("Haircut"), "Haircut");
  assert.equal(csvField(42), "42");
  assert.equal(csvField(null), "");
  assert.equal(csvField(undefined), "");
  assert.equal(csvField("+79161234567"), "+79161234567");
});

Deno.test("csv: separator, quote and line breaks are quoted, quotes doubled", () => {
  assert.equal(csvField("a;b"), '"a;b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
  assert.equal(csvField("cr\rlf"), '"cr\rlf"');
  assert.equal(csvField("comma, is fine"), "comma, is fine");
});

Deno.test("csv: a line joins with ; and ends with CRLF", () => {
  assert.equal(csvLine([1, "a;b", null, "x"]), '1;"a;b";;x\r\n');
});

Deno.test("csv: formula-looking text is neutralised", () => {
  assert.equal(guardFormula("=HYPERLINK(1)"), "'=HYPERLINK(1)");
  assert.equal(guardFormula("@cmd"), "'@cmd");
  assert.equal(guardFormula("-1"), "'-1");
  assert.equal(guardFormula("Anna"), "Anna");
});

Deno.test("csv: what csvLine writes parses back, BOM skipped", () => {
  const rows = [
    ["id", "name", "reason"],
    ["1", 'Anna "Ann" Smith; Jr', "line one\r\nline two"],
    ["2", "", "ok"],
  ];
  const text = CSV_BOM + rows.map((r) => csvLine(r)).join("");
  assert.deepEqual(parseCsv(text), rows);
});

/** The date read, or undefined when refused. */
function parseDateInput(text: string, today?: Temporal.PlainDate) {
  const parsed = parseDay(text, today);
  return parsed.ok ? parsed.value : undefined;
}

/** The period read, or undefined when refused. */
function parsePeriodInput(text: string) {
  const parsed = parsePeriod(text);
  return parsed.ok ? parsed.value : undefined;
}

Deno.test("dates typed by admins: ISO, DD.MM.YYYY and DD/MM/YYYY, invalid ones refused", () => {
  assert.equal(parseDateInput("2026-12-31")?.toString(), "2026-12-31");
  assert.equal(parseDateInput(" 31.12.2026 ")?.toString(), "2026-12-31");
  assert.equal(parseDateInput("1.2.2027")?.toString(), "2027-02-01");
  assert.equal(parseDateInput("2026-02-30"), undefined);
  // One reader on every screen: the slashed form the schedule accepted works everywhere.
  assert.equal(parseDateInput("31/12/2026")?.toString(), "2026-12-31");
  assert.equal(parseDateInput("tomorrow"), undefined);
});

Deno.test("dates typed by admins: a day without a year is its next occurrence", () => {
  const today = Temporal.PlainDate.from("2026-11-30");
  assert.equal(parseDateInput("31.12", today)?.toString(), "2026-12-31");
  assert.equal(parseDateInput("30.11", today)?.toString(), "2026-11-30");
  assert.equal(parseDateInput("1.1", today)?.toString(), "2027-01-01");
  assert.equal(parseDateInput("29.02", today), undefined, "no 29 February in 2026 or 2027");
  assert.equal(parseDateInput("31.12"), undefined, "without today a year is needed");
});

Deno.test("periods typed by admins: two dates, any order, any dash", () => {
  const p = parsePeriodInput("01.12.2026 – 31.12.2026")!;
  assert.equal(`${p.from}..${p.to}`, "2026-12-01..2026-12-31");
  const q = parsePeriodInput("2026-12-31 - 2026-12-01")!;
  assert.equal(`${q.from}..${q.to}`, "2026-12-01..2026-12-31");
  assert.ok(parsePeriodInput("с 01.12.2026 по 05.12.2026"));
  assert.equal(parsePeriodInput("2026-12-01"), undefined);
  assert.equal(parsePeriodInput("2026-12-01 and 2026-12-05"), undefined);
  assert.equal(parsePeriodInput("2000-01-01 - 2026-01-01"), undefined, "too long");
  assert.deepEqual(parsePeriod("2000-01-01 - 2026-01-01"), { ok: false, problem: "period_long" });
});

Deno.test("period presets: today, Monday-to-Sunday week, calendar month", () => {
  const tue = Temporal.PlainDate.from("2026-12-01");
  const week = presetPeriod("week", tue);
  assert.equal(`${week.from}..${week.to}`, "2026-11-30..2026-12-06");
  const month = presetPeriod("month", tue);
  assert.equal(`${month.from}..${month.to}`, "2026-12-01..2026-12-31");
  const today = presetPeriod("today", tue);
  assert.equal(`${today.from}..${today.to}`, "2026-12-01..2026-12-01");
});
