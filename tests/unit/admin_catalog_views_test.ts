/**
 * The services, masters and schedule screens rendered without Telegram: what each shows and
 * which buttons it offers to admins and viewers.
 */
import assert from "node:assert/strict";
import type { Booking } from "../../src/db/bookings_repo.ts";
import type { ServiceWithCount } from "../../src/db/services_repo.ts";
import type { Staff } from "../../src/db/staff_repo.ts";
import { DEFAULT_RULES } from "../../src/domain/slots.ts";
import type { Buttons } from "../../src/ui/buttons.ts";
import { cb } from "../../src/ui/callback_data.ts";
import { loadCatalogs, translator } from "../../src/ui/i18n.ts";
import {
  deleteConfirmView,
  serviceCardView,
  serviceListView,
  type ViewEnv,
} from "../../src/bot/features/admin/services/views.ts";
import { editFieldView, newStepView } from "../../src/bot/features/admin/services/dialog_views.ts";
import { conflictsReport, type ScheduleEnv } from "../../src/bot/features/admin/schedule/report.ts";
import {
  daysOffView,
  dayView,
  rulesView,
  weekView,
} from "../../src/bot/features/admin/schedule/views.ts";
import {
  deactivateConfirmView,
  staffCardView,
  staffListView,
} from "../../src/bot/features/admin/schedule/staff_views.ts";

const t = translator(loadCatalogs(), "ru");
const admin: ViewEnv = { t, lang: "ru", canEdit: true };
const viewer: ViewEnv = { ...admin, canEdit: false };
const schedule = (over: Partial<ScheduleEnv> = {}): ScheduleEnv => ({
  t,
  lang: "ru",
  timeZone: "Europe/Moscow",
  canEdit: true,
  several: false,
  ...over,
});

function service(id: number, over: Partial<ServiceWithCount> = {}): ServiceWithCount {
  return {
    id,
    name: `Service ${id}`,
    description: "",
    durationMinutes: 60,
    priceMinor: 150_000,
    displayOrder: id * 10,
    isActive: true,
    deletedAt: null,
    bookingsCount: 0,
    ...over,
  };
}

const cancel = cb.cancelDialog.pack({});
const labels = (buttons: Buttons) => buttons.flat().map((b) => b.text);
const data = (buttons: Buttons) =>
  buttons.flat().map((b) => "callback_data" in b ? b.callback_data : "");

Deno.test("services list: pages of eight with the common page line and a pager", () => {
  const all = Array.from({ length: 10 }, (_, i) => service(i + 1));
  const first = serviceListView(all, "all", 0, admin);
  assert.match(first.text, /Страница 1 из 2/);
  assert.match(first.text, /8\. <b>Service 8<\/b>/);
  assert.doesNotMatch(first.text, /Service 9/);
  assert.ok(labels(first.buttons).includes("▶️") && !labels(first.buttons).includes("◀️"));
  const past = serviceListView(all, "all", 7, admin);
  assert.match(past.text, /Страница 2 из 2/, "a page past the end shows the last one");
  assert.match(past.text, /10\. <b>Service 10<\/b>/);
  assert.ok(data(past.buttons).includes("asl:all:0"));
  const one = serviceListView(all.slice(0, 3), "act", 0, admin);
  assert.doesNotMatch(one.text, /Страница/);
  assert.ok(data(one.buttons).includes("asl:all:0"), "the filter button switches to all");
});

Deno.test("services list: icons tell the state; only admins get the new-service button", () => {
  const list = [service(1), service(2, { isActive: false }), service(3, { deletedAt: 5 })];
  const screen = serviceListView(list, "all", 0, admin);
  assert.deepEqual(labels(screen.buttons).slice(0, 3), [
    "🟢 Service 1",
    "⏸ Service 2",
    "🗑 Service 3",
  ]);
  assert.ok(data(screen.buttons).includes("asn"));
  assert.ok(!data(serviceListView(list, "all", 0, viewer).buttons).includes("asn"));
});

Deno.test("service card: editor for admins, restore for a deleted one, nothing to change for viewers", () => {
  const card = serviceCardView(service(4), "✅ Сохранено", admin);
  assert.match(card.text, /^✅ Сохранено\n\n/);
  assert.ok(data(card.buttons).includes("asd:4:0"), "delete asks first");
  assert.ok(data(card.buttons).includes("ass:4:active:0"));
  const deleted = serviceCardView(service(4, { deletedAt: 9 }), "", admin);
  assert.deepEqual(data(deleted.buttons), ["asr:4", "asl:all:0"]);
  assert.deepEqual(data(serviceCardView(service(4), "", viewer).buttons), ["asl:all:0"]);
  assert.deepEqual(data(serviceCardView(undefined, "", admin).buttons), ["asl:all:0"]);
});

Deno.test("delete question: yes carries ok 1, the way back is the card", () => {
  const screen = deleteConfirmView(service(4), 2, admin);
  assert.match(screen.text, /Service 4/);
  assert.deepEqual(data(screen.buttons), ["asd:4:1", "asv:4"]);
});

Deno.test("creation steps: the duration step offers the usual lengths under the draft's name", () => {
  const screen = newStepView("dur", { name: "Окрашивание" }, "", t);
  assert.match(screen.text, /Новая услуга: <b>Окрашивание<\/b>\nШаг 3 из 6/);
  assert.deepEqual(data(screen.buttons), [
    "asc:dur:30",
    "asc:dur:60",
    "asc:dur:90",
    "asc:dur:120",
    "asc:dur_other:0",
    cancel,
  ]);
  const again = newStepView("name", {}, "Слишком длинно", t);
  assert.match(again.text, /^Слишком длинно\n\n/);
  assert.deepEqual(data(again.buttons), [cancel]);
});

Deno.test("field editor: shows the current value; remove buttons only when there is something", () => {
  const priced = editFieldView(service(5), "price", "", t);
  assert.match(priced.text, /1500/);
  assert.ok(data(priced.buttons).includes("ass:5:noprice:0"));
  const free = editFieldView(service(5, { priceMinor: null }), "price", "", t);
  assert.ok(!data(free.buttons).some((d) => d.includes("noprice")));
  const desc = editFieldView(service(5), "desc", "", t);
  assert.ok(!data(desc.buttons).some((d) => d.includes("nodesc")));
});

const olga: Staff = { id: 2, name: "Ольга", isActive: false, displayOrder: 2 };

Deno.test("week: names the master and offers the picker only when there are several", () => {
  const model = {
    staff: olga,
    hours: [{ weekday: 3, start: 600, end: 1200 }],
    breaks: [{ id: 7, weekday: 3, start: 780, end: 840 }],
    daysOff: 2,
    rules: DEFAULT_RULES,
  };
  const several = weekView(model, "", schedule({ several: true }));
  assert.match(several.text, /Расписание работы<\/b> — Ольга/);
  assert.match(several.text, /10:00–20:00/);
  assert.match(several.text, /13:00–14:00/);
  assert.ok(data(several.buttons).includes("ahp"));
  const alone = weekView(model, "", schedule());
  assert.doesNotMatch(alone.text, /— Ольга/);
  assert.ok(!data(alone.buttons).includes("ahp"));
});

Deno.test("day: admins change hours and breaks, viewers only look", () => {
  const model = {
    staff: olga,
    weekday: 3,
    hours: { weekday: 3, start: 600, end: 1200 },
    breaks: [{ id: 7, weekday: 3, start: 780, end: 840 }],
  };
  assert.deepEqual(data(dayView(model, "", schedule()).buttons), [
    "ahh:2:3",
    "ahx:2:3",
    "ahb:2:3",
    "ahk:2:7",
    "ahm:2",
  ]);
  assert.deepEqual(data(dayView(model, "", schedule({ canEdit: false })).buttons), ["ahm:2"]);
  const closed = dayView({ ...model, hours: undefined, breaks: [] }, "", schedule());
  assert.deepEqual(data(closed.buttons), ["ahh:2:3", "ahm:2"], "no break on a day off");
});

Deno.test("days off: with several masters, whose day it is and both add buttons", () => {
  const off = [
    { id: 1, staffId: null, day: "2026-12-31", reason: "New Year" },
    { id: 2, staffId: 2, day: "2027-01-05", reason: null },
  ];
  const several = daysOffView(olga, off, "", schedule({ several: true }));
  assert.match(several.text, /весь салон — New Year/);
  assert.match(several.text, /Ольга/);
  assert.deepEqual(data(several.buttons), ["aha:2:0", "aha:2:1", "ahr:2:1", "ahr:2:2", "ahm:2"]);
  const alone = daysOffView(olga, off, "", schedule());
  assert.doesNotMatch(alone.text, /весь салон/);
  assert.ok(!data(alone.buttons).includes("aha:2:1"));
});

Deno.test("rules: a change button per rule for admins, a zero daily maximum reads as no limit", () => {
  const screen = rulesView({ ...DEFAULT_RULES, maxBookingsPerDay: 0 }, "", schedule());
  assert.equal(data(screen.buttons).filter((d) => d.startsWith("ahe:")).length, 5);
  assert.match(screen.text, new RegExp(t("admin_schedule.rule_unlimited")));
  assert.deepEqual(data(rulesView(DEFAULT_RULES, "", schedule({ canEdit: false })).buttons), [
    "ahm:0",
  ]);
});

function booking(id: number): Booking {
  const start = Date.parse("2026-12-02T07:00:00Z") + id * 3_600_000;
  return {
    id,
    start,
    end: start + 3_600_000,
    clientName: "Анна",
    phone: "+79161234567",
    serviceName: "Haircut",
    staffName: "Ольга",
  } as Booking;
}

Deno.test("conflicts report: the master's name with several, fifteen lines and the rest counted", () => {
  const conflicts = Array.from({ length: 17 }, (_, i) => ({
    booking: booking(i + 1),
    reason: "staff_inactive" as const,
  }));
  const several = conflictsReport(conflicts, schedule({ several: true }));
  assert.match(several, /№1 .*мастер Ольга\): мастер не активен/);
  assert.doesNotMatch(several, /№16 /);
  assert.match(several, /…и ещё 2/);
  assert.doesNotMatch(conflictsReport(conflicts, schedule()), /мастер Ольга/);
  assert.equal(conflictsReport([], schedule()), "");
});

Deno.test("masters: one active master gets the hint; deactivation asks, activation does not", () => {
  const master: Staff = { id: 1, name: "Master", isActive: true, displayOrder: 1 };
  const rows = [{ staff: master, future: 3 }, { staff: olga, future: 1 }];
  const list = staffListView(rows, "", { t, canEdit: true });
  assert.match(list.text, /клиенты не видят выбора мастера/);
  assert.ok(data(list.buttons).includes("amn"));
  assert.ok(!data(staffListView(rows, "", { t, canEdit: false }).buttons).includes("amn"));
  assert.ok(data(staffCardView(rows[0], "", { t, canEdit: true }).buttons).includes("ama:1:0:0"));
  assert.ok(data(staffCardView(rows[1], "", { t, canEdit: true }).buttons).includes("ama:2:1:1"));
  const ask = deactivateConfirmView(rows[0], { t, canEdit: true });
  assert.match(ask.text, /будущих записей: <b>3<\/b>/);
  assert.deepEqual(data(ask.buttons), ["ama:1:0:1", "amv:1"]);
});
