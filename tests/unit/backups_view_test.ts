import assert from "node:assert/strict";
import type { BackupInfo } from "../../src/ops/backup.ts";
import { akCb, backupsScreen, PAGE_SIZE } from "../../src/bot/features/admin/backups/views.ts";
import { loadCatalogs, translator } from "../../src/ui/i18n.ts";

const t = translator(loadCatalogs(), "ru");
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 6, 0, 0);

/** `n` backups an hour apart, newest first; every third one damaged, the first too new. */
function backups(n: number): BackupInfo[] {
  return Array.from({ length: n }, (_, i) => {
    const takenAt = T0 - i * HOUR;
    const name = `booking-${new Date(takenAt).toISOString().replace(/[-:]/g, "").slice(0, 15)}Z.db`;
    const base = { path: `/b/${name}`, name, size: 12_300, takenAt };
    if (i === 0) return { ...base, ok: false, state: "too-new", schemaVersion: 99 };
    if (i % 3 === 0) return { ...base, ok: false, state: "corrupt", problem: "bad" };
    return { ...base, ok: true, schemaVersion: 2 };
  });
}

const view = (page: number, list = backups(PAGE_SIZE + 2)) =>
  backupsScreen({ backups: list, page, known: 2, lang: "ru", timeZone: "Europe/Moscow" }, t);

Deno.test("backups view: verdicts, local time, a restore button only for a valid backup", () => {
  const { text, buttons } = view(0);
  assert.match(text, /Резервные копии<\/b>: 10\n\nСтраница 1 из 2/);
  assert.match(text, /1\. вт, 1 декабря 2026 г\. 09:00 · 12,3 кБ · схема 99\n\s+⛔ из более новой/);
  assert.match(text, /4\. вт, 1 декабря 2026 г\. 06:00 · 12,3 кБ · схема \?\n\s+⚠️ повреждена/);
  assert.match(text, /2\. вт, 1 декабря 2026 г\. 08:00 · 12,3 кБ · схема 2\n\s+✅ годна/);
  const restores = buttons.flat().filter((b) =>
    "callback_data" in b && b.callback_data.startsWith("akr:")
  )
    .map((b) => akCb.restore.unpack((b as { callback_data: string }).callback_data)!.name);
  const valid = backups(PAGE_SIZE).filter((b) => b.ok).map((b) => b.name);
  assert.deepEqual(restores, valid);
  assert.deepEqual(buttons.flat().map((b) => b.text).filter((x) => x === "◀️" || x === "▶️"), [
    "▶️",
  ]);
});

Deno.test("backups view: the last page, and a page past the end shows it", () => {
  for (const page of [1, 7]) {
    const { text, buttons } = view(page);
    assert.match(text, /Страница 2 из 2/);
    assert.match(text, /^9\. /m);
    assert.match(text, /^10\. /m);
    assert.doesNotMatch(text, /^8\. /m);
    assert.ok(buttons.flat().some((b) => b.text === "◀️"));
    const back = buttons.flat().find((b) => b.text === "◀️") as { callback_data: string };
    assert.deepEqual(akCb.list.unpack(back.callback_data), { page: 0 });
  }
  assert.match(view(0, []).text, /Копий пока нет/);
});
