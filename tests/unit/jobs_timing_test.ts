import assert from "node:assert/strict";
import { loadCatalogs, translator } from "../../src/ui/i18n.ts";
import type { Booking } from "../../src/db/bookings_repo.ts";
import { agendaDueAt, renderAgenda } from "../../src/jobs/agenda.ts";
import { dayReminderAt, isDayReminderDue, isHourReminderDue } from "../../src/domain/reminders.ts";

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const MSK = "Europe/Moscow";
const BERLIN = "Europe/Berlin";

Deno.test("day-before reminder time: 10:00 business time on the previous local date", () => {
  // Wed 2 Dec 2026 12:00 Moscow (09:00Z) -> Tue 1 Dec 10:00 Moscow (07:00Z).
  assert.equal(dayReminderAt(at("2026-12-02T09:00:00Z"), 10, MSK), at("2026-12-01T07:00:00Z"));
  // 00:30 Moscow on 3 Dec is 21:30Z on 2 Dec: the local date decides, not the UTC one.
  assert.equal(dayReminderAt(at("2026-12-02T21:30:00Z"), 10, MSK), at("2026-12-02T07:00:00Z"));
});

Deno.test("day-before reminder time is DST-correct in Europe/Berlin", () => {
  // Spring forward night 27->28 March 2027: the visit is at CEST (+2), the reminder at CET (+1).
  assert.equal(dayReminderAt(at("2027-03-28T07:00:00Z"), 10, BERLIN), at("2027-03-27T09:00:00Z"));
  // Fall back night 24->25 October 2026: the visit is at CET (+1), the reminder at CEST (+2).
  assert.equal(dayReminderAt(at("2026-10-25T08:00:00Z"), 10, BERLIN), at("2026-10-24T08:00:00Z"));
  // A reminder hour that does not exist (02:00 on the spring-forward day) moves forward.
  assert.equal(dayReminderAt(at("2027-03-29T07:00:00Z"), 2, BERLIN), at("2027-03-28T01:00:00Z"));
});

Deno.test("day-before reminder: due from 10:00 the day before while the visit is over 2 h away", () => {
  const b = { start: at("2026-12-02T09:00:00Z"), createdAt: at("2026-11-25T09:00:00Z") };
  assert.equal(isDayReminderDue(b, at("2026-12-01T06:59:59Z"), 10, MSK), false);
  assert.equal(isDayReminderDue(b, at("2026-12-01T07:00:00Z"), 10, MSK), true);
  // After downtime: still sent on the day of the visit while it is more than 2 hours away...
  assert.equal(isDayReminderDue(b, at("2026-12-02T06:59:00Z"), 10, MSK), true);
  // ...but not when the one-hour reminder is about to follow.
  assert.equal(isDayReminderDue(b, at("2026-12-02T07:00:00Z"), 10, MSK), false);
});

Deno.test("day-before reminder: none for bookings made under 24 h ahead or after 10:00", () => {
  const start = at("2026-12-02T15:00:00Z"); // Wed 18:00 Moscow
  const now = at("2026-12-01T12:00:00Z");
  // Made Tue 09:00 Moscow (30 h ahead, before 10:00): reminded.
  assert.equal(
    isDayReminderDue({ start, createdAt: at("2026-12-01T06:00:00Z") }, now, 10, MSK),
    true,
  );
  // Made Tue 11:00 Moscow (28 h ahead, but after the 10:00 moment): the confirmation is enough.
  assert.equal(
    isDayReminderDue({ start, createdAt: at("2026-12-01T08:00:00Z") }, now, 10, MSK),
    false,
  );
  // Made Tue 09:30 for Wed 08:00 (22.5 h ahead): no day-before reminder.
  const early = at("2026-12-02T05:00:00Z");
  assert.equal(
    isDayReminderDue(
      { start: early, createdAt: at("2026-12-01T06:30:00Z") },
      now - 4 * HOUR,
      10,
      MSK,
    ),
    false,
  );
});

Deno.test("one-hour reminder: due in the last hour before the start, not for last-minute bookings", () => {
  const b = { start: at("2026-12-01T09:00:00Z"), createdAt: at("2026-11-30T09:00:00Z") };
  assert.equal(isHourReminderDue(b, at("2026-12-01T07:59:59Z")), false);
  assert.equal(isHourReminderDue(b, at("2026-12-01T08:00:00Z")), true);
  assert.equal(isHourReminderDue(b, at("2026-12-01T08:59:59Z")), true);
  assert.equal(isHourReminderDue(b, at("2026-12-01T09:00:00Z")), false);
  assert.equal(
    isHourReminderDue({ ...b, createdAt: at("2026-12-01T08:10:00Z") }, at("2026-12-01T08:20:00Z")),
    false,
  );
});

Deno.test("agenda: due at the agenda hour of the local day", () => {
  const date = Temporal.PlainDate.from("2026-12-01");
  assert.equal(agendaDueAt(date, 8, MSK), at("2026-12-01T05:00:00Z"));
});

function booking(i: number, fields: Partial<Booking> = {}): Booking {
  const start = at("2026-12-01T06:00:00Z") + i * HOUR;
  return {
    id: i + 1,
    userId: 100 + i,
    serviceId: 1,
    staffId: 1,
    start,
    end: start + HOUR,
    clientName: `Client <${i}>`,
    phone: "+79161234567",
    status: "active",
    cancelReason: null,
    cancelledBy: null,
    cancelledAt: null,
    createdAt: 0,
    updatedAt: 0,
    reminderDaySentAt: null,
    reminderHourSentAt: null,
    feedbackRequestedAt: null,
    confirmedAt: null,
    deletedAt: null,
    serviceName: "Haircut",
    durationMinutes: 60,
    priceMinor: null,
    staffName: "Master",
    ...fields,
  };
}

Deno.test("agenda text: times, service, escaped client name, phone; confirmed ones marked", () => {
  const t = translator(loadCatalogs(), "en");
  const date = Temporal.PlainDate.from("2026-12-01");
  const [text, ...rest] = renderAgenda(
    [booking(0), booking(1, { confirmedAt: 1 })],
    date,
    t,
    "en",
    MSK,
  );
  assert.equal(rest.length, 0);
  assert.match(text, /Today's bookings, Tue, 1 December 2026/);
  assert.match(text, /Bookings: 2/);
  assert.match(text, /<b>09:00–10:00<\/b> Haircut — Client &lt;0&gt;, \+79161234567/);
  assert.match(text, /<b>10:00–11:00<\/b> Haircut — Client &lt;1&gt;, \+79161234567 ✅/);
  assert.match(renderAgenda([], date, t, "en", MSK)[0], /No bookings today/);
});

Deno.test("agenda text: a very busy day is split below Telegram's 4096 characters", () => {
  const t = translator(loadCatalogs(), "ru");
  const many = Array.from(
    { length: 120 },
    (_, i) =>
      booking(i, { clientName: "Очень Длинное Имя Клиента Для Проверки", staffId: 1 + (i % 3) }),
  );
  const parts = renderAgenda(many, Temporal.PlainDate.from("2026-12-01"), t, "ru", MSK);
  assert.ok(parts.length > 1);
  for (const p of parts) assert.ok(p.length < 4096);
  assert.equal(parts.join("\n").match(/\+79161234567/g)?.length, 120);
});
