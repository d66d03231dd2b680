import assert from "node:assert/strict";
import { icsEvent } from "../../src/domain/ics.ts";
import { plannedReminders } from "../../src/domain/reminders.ts";

const at = (iso: string) => Date.parse(iso);
const base = {
  uid: "booking-7@salon_bot",
  start: at("2026-12-02T07:00:00Z"),
  end: at("2026-12-02T08:00:00Z"),
  summary: "Стрижка",
  stamp: at("2026-12-01T06:00:00Z"),
};

Deno.test("ics: a new event is published with its revision, place and alarm", () => {
  const text = icsEvent({
    ...base,
    sequence: 1,
    location: "Москва, ул. Ленина; 1",
    alarmMinutes: 60,
  });
  assert.match(text, /METHOD:PUBLISH\r\n/);
  assert.match(text, /UID:booking-7@salon_bot\r\nSEQUENCE:1\r\n/);
  assert.match(text, /STATUS:CONFIRMED\r\n/);
  assert.match(text, /LOCATION:Москва\\, ул\. Ленина\\; 1\r\n/);
  assert.match(
    text,
    /BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Стрижка\r\nTRIGGER:-PT60M\r\nEND:VALARM\r\nEND:VEVENT/,
  );
  assert.ok(text.endsWith("END:VCALENDAR\r\n"));
});

Deno.test("ics: a cancelled event is METHOD:CANCEL, STATUS:CANCELLED, without an alarm", () => {
  const text = icsEvent({ ...base, sequence: 3, cancelled: true, alarmMinutes: 60 });
  assert.match(text, /METHOD:CANCEL\r\n/);
  assert.match(text, /SEQUENCE:3\r\n/);
  assert.match(text, /STATUS:CANCELLED\r\n/);
  assert.doesNotMatch(text, /VALARM/);
  assert.doesNotMatch(text, /LOCATION/);
});

Deno.test("reminders promised: exactly those whose moment is still ahead", () => {
  const MSK = "Europe/Moscow";
  const made = at("2026-12-01T06:00:00Z"); // Tue 09:00
  // Wed 10:00: day-before at Tue 10:00 is ahead, the visit 25 h away: both.
  assert.deepEqual(plannedReminders(at("2026-12-02T07:00:00Z"), made, 10, MSK), {
    day: true,
    hour: true,
  });
  // Tue 12:00, same day: only the hour one.
  assert.deepEqual(plannedReminders(at("2026-12-01T09:00:00Z"), made, 10, MSK), {
    day: false,
    hour: true,
  });
  // Tue 09:45: closer than an hour, none.
  assert.deepEqual(plannedReminders(at("2026-12-01T06:45:00Z"), made, 10, MSK), {
    day: false,
    hour: false,
  });
  // Made Tue 11:00 for Wed 16:00: the day-before moment (Tue 10:00) passed.
  assert.deepEqual(
    plannedReminders(at("2026-12-02T13:00:00Z"), at("2026-12-01T08:00:00Z"), 10, MSK),
    { day: false, hour: true },
  );
});
