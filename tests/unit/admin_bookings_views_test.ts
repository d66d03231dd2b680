import assert from "node:assert/strict";
import type { Booking } from "../../src/db/bookings_repo.ts";
import {
  orderedPeriod,
  PERIOD_PRESETS,
  periodBounds,
  presetPeriod,
  samePeriod,
} from "../../src/domain/period_presets.ts";
import { type Lang, loadCatalogs, type Translate, translator } from "../../src/ui/i18n.ts";
import { paginate } from "../../src/ui/paging.ts";
import {
  bookingButton,
  bookingLine,
  bookingPage,
  dayMonth,
  periodText,
} from "../../src/bot/features/admin/bookings/views.ts";
import { describeChanges, renderNotice } from "../../src/ui/notices.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { exportLabels } from "../../src/bot/features/admin/bookings/export.ts";
import { abCb } from "../../src/bot/features/admin/bookings/codecs.ts";

const TZ = "Europe/Moscow";
const catalogs = loadCatalogs();
const ru = translator(catalogs, "ru");
const en = translator(catalogs, "en");
const day = (iso: string) => Temporal.PlainDate.from(iso);

/** Wed 2 December 2026, 10:00–11:00 Moscow. */
function booking(over: Partial<Booking> = {}): Booking {
  const start = Date.parse("2026-12-02T07:00:00Z");
  return {
    id: 7,
    userId: 101,
    serviceId: 1,
    staffId: 1,
    start,
    end: start + 3_600_000,
    clientName: "Анна",
    phone: "+79161234567",
    status: "active",
    cancelReason: null,
    cancelledBy: null,
    cancelledAt: null,
    createdAt: start - 86_400_000,
    updatedAt: start - 86_400_000,
    reminderDaySentAt: null,
    reminderHourSentAt: null,
    feedbackRequestedAt: null,
    confirmedAt: null,
    deletedAt: null,
    serviceName: "Стрижка",
    durationMinutes: 60,
    priceMinor: 150_000,
    staffName: "Мария",
    ...over,
  };
}

Deno.test("period presets: ordered and equal periods, the instants a period covers", () => {
  const a = day("2026-12-05");
  const b = day("2026-12-01");
  assert.equal(periodText(orderedPeriod(a, b)), "01.12.2026 – 05.12.2026");
  assert.equal(periodText(orderedPeriod(b, a)), "01.12.2026 – 05.12.2026");
  assert.equal(periodText({ from: b, to: b }), "01.12.2026");
  const tue = day("2026-12-01");
  assert.deepEqual(PERIOD_PRESETS, ["today", "week", "month"]);
  assert.ok(samePeriod(presetPeriod("week", tue), presetPeriod("week", day("2026-12-06"))));
  assert.ok(!samePeriod(presetPeriod("week", tue), presetPeriod("week", day("2026-12-07"))));
  // Sunday belongs to the week that began on Monday.
  assert.equal(`${presetPeriod("week", day("2026-12-06")).from}`, "2026-11-30");
  const [from, to] = periodBounds({ from: tue, to: tue }, TZ);
  assert.equal(new Date(from).toISOString(), "2026-11-30T21:00:00.000Z");
  assert.equal(to - from, 86_400_000);
});

Deno.test("bookings list: a line and a button per booking, with the date and master on demand", () => {
  const b = booking();
  const day = { timeZone: TZ, withDate: false, withStaff: false };
  assert.equal(
    bookingLine(b, ru, day),
    "🟢 <b>10:00–11:00</b> · Стрижка · Анна · +79161234567 · подтверждена (№7)",
  );
  const period = { timeZone: TZ, withDate: true, withStaff: true };
  assert.match(bookingLine(b, ru, period), /<b>02\.12\.2026 10:00–11:00<\/b> · Стрижка · Мария ·/);
  assert.deepEqual(bookingButton(b, period), [
    { text: "🟢 02.12 10:00 Анна · Стрижка", callback_data: "abc:7" },
  ]);
  assert.equal(dayMonth(Temporal.PlainDate.from("2026-01-09")), "09.01");
});

Deno.test("bookings list: page info in the title and the pager with its page numbers", () => {
  const style = { timeZone: TZ, withDate: false, withStaff: false };
  const page = (n: number) => ({
    title: "T",
    page: paginate(20, n, 8),
    bookings: [booking()],
    style,
    empty: "none",
    pack: (p: number) => abCb.day.pack({ date: "2026-12-02", page: p }),
  });
  const middle = bookingPage(page(1), ru);
  assert.match(middle.text, /^T\nСтраница 2 из 3\n\n🟢/);
  assert.deepEqual(
    middle.rows.at(-1)!.map((b) => [b.text, (b as { callback_data: string }).callback_data]),
    [
      ["⬅️ Стр. 1", "abd:2026-12-02:0"],
      ["Стр. 3 ➡️", "abd:2026-12-02:2"],
    ],
  );
  const single = bookingPage({ ...page(0), page: paginate(0, 0, 8), bookings: [] }, ru);
  assert.equal(single.text, "T\n\nnone");
  assert.deepEqual(single.rows, [], "no pager for one page");
  const uncounted = bookingPage({ ...page(0), noPageInfo: true }, ru);
  assert.equal(uncounted.text.split("\n")[0], "T");
  assert.equal(uncounted.text.split("\n")[1], "");
});

Deno.test("client notices: what changed, in the client's language, with the way back in", () => {
  const db = openMigrated(":memory:", 0);
  const before = booking();
  const after = booking({
    start: before.start + 3_600_000,
    end: before.end + 3_600_000,
    phone: "+7900",
  });
  const lines = describeChanges(before, after, ru, "ru", TZ);
  assert.equal(lines.length, 2);
  assert.match(lines[0], /11:00<\/b>$/);
  assert.match(lines[1], /\+79161234567 → <b>\+7900<\/b>/);
  assert.deepEqual(describeChanges(before, before, ru, "ru", TZ), []);
  const env = (t: Translate, lang: Lang, showStaff = false) => ({
    t,
    lang,
    timeZone: TZ,
    showStaff,
    now: before.start - 86_400_000,
    botUsername: "test_bot",
    db,
    cutoffHours: 24,
  });
  const changed = renderNotice("client_changed", { ...before }, after, env(en, "en"))!;
  assert.match(changed.text, /changed your booking #7/i);
  assert.equal(changed.buttons![0][0].text, en("admin_bookings.client_btn_open"));
  const cancelled = renderNotice(
    "client_cancelled",
    {},
    booking({ status: "cancelled", cancelReason: "Болезнь" }),
    env(ru, "ru", true),
  )!;
  assert.match(cancelled.text, /Администратор отменил вашу запись №7/);
  assert.match(cancelled.text, /Болезнь/);
  assert.match(cancelled.text, /Мария/, "the master is named when masters are shown");
  assert.equal(cancelled.buttons![0][0].text, "📅 Записаться снова");
  assert.match(new TextDecoder().decode(cancelled.calendar!.bytes), /METHOD:CANCEL/);
  assert.match(new TextDecoder().decode(changed.calendar!.bytes), /METHOD:PUBLISH/);
  const renamed = renderNotice(
    "client_changed",
    { ...before },
    { ...before, clientName: "Б" },
    env(ru, "ru"),
  )!;
  assert.equal(renamed.calendar, undefined, "the same time: no revised calendar file");
  db.close();
});

Deno.test("export labels: thirteen column titles and status words in the admin's language", () => {
  const labels = exportLabels(ru);
  assert.equal(labels.header.length, 13);
  assert.equal(labels.header[0], "№");
  assert.equal(labels.status("cancelled"), "отменена");
});
