/** The client card as a pure view: figures, notes, and what a viewer may press. */
import assert from "node:assert/strict";
import {
  type ClientCardModel,
  clientCardView,
} from "../../src/bot/features/admin/clients/views.ts";
import { loadCatalogs, translator } from "../../src/ui/i18n.ts";

const catalogs = loadCatalogs();
const ru = translator(catalogs, "ru");
const en = translator(catalogs, "en");

const MODEL: ClientCardModel = {
  client: { id: 777, name: "Анна <b>", username: "anya", phone: "+79001234567", bookings: 6 },
  figures: {
    visits: 3,
    cancels: 1,
    noShows: 1,
    upcoming: 0,
    spentMinor: 500000,
    firstVisit: Date.parse("2026-12-02T07:00:00Z"),
    lastVisit: Date.parse("2026-12-04T07:00:00Z"),
    favouriteService: "Стрижка",
    favouriteMaster: "Мастер",
    feedbackCount: 2,
    averageRating: 4.5,
  },
  notes: [{ id: 1, authorId: 900, authorName: null, text: "Любит <тишину>", createdAt: 0 }],
  lang: "ru",
  timeZone: "Europe/Moscow",
  canWrite: true,
};

const labels = (s: { buttons: { text: string }[][] }) => s.buttons.flat().map((b) => b.text);

Deno.test("client card view: figures, favourites, feedback and escaped notes", () => {
  const { text } = clientCardView(MODEL, ru);
  assert.match(text, /👤 <b>Анна &lt;b&gt;<\/b>/);
  assert.match(text, /Визиты: 3 · отмены: 1 · неявки: 1/);
  assert.ok(!text.includes("Предстоящих"), "no upcoming line when there is none");
  assert.match(text, /Потрачено: 5\s000\s₽/);
  assert.match(text, /Любимая услуга: Стрижка\nЛюбимый мастер: Мастер/);
  assert.match(text, /Отзывы: 2, средняя оценка 4,5/);
  assert.match(text, /администратор: Любит &lt;тишину&gt;/);
  assert.deepEqual(labels(clientCardView(MODEL, ru)), [
    "➕ Записать клиента",
    "📝 Добавить заметку",
    "📜 Записи клиента",
  ]);
});

Deno.test("client card view: a viewer gets no write buttons; an empty history says so", () => {
  const empty = {
    ...MODEL,
    canWrite: false,
    notes: [],
    figures: { ...MODEL.figures, visits: 0, firstVisit: null, lastVisit: null, feedbackCount: 0 },
  };
  const screen = clientCardView(empty, en);
  assert.deepEqual(labels(screen), ["📜 Client's bookings"]);
  assert.match(screen.text, /No visits yet\./);
  assert.match(screen.text, /No feedback given\./);
  assert.match(screen.text, /No notes yet\./);
});
