/**
 * Issue 15: a note an admin writes about a client is visible to admins and to that client's
 * master on their own booking card — never to the client, never to another client's card.
 */
import assert from "node:assert/strict";
import { assertNoErrors, startTestBot } from "../support/harness.ts";
import { press, send } from "../support/steps.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { upsertUser } from "../../src/db/users_repo.ts";

const OWNER = 900;
const OLGA_TG = 700;
/** 12:00 Moscow on Tuesday 1 December 2026. */
const TODAY_NOON = Date.parse("2026-12-01T09:00:00Z");

Deno.test("e2e client notes: the client's master reads the admins' note on her booking card, the client never does", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const { services, bookings, db } = t.running.deps;
    const olga = services.catalog.addMaster("Ольга", OWNER);
    services.masters.redeem(services.masters.invite(olga.id, OWNER), OLGA_TG);
    const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
    const book = (userId: number, name: string, start: number) => {
      upsertUser(db, { id: userId, first_name: name, language_code: "ru" }, 0);
      return bookings.createBooking({
        userId,
        serviceId: haircut.id,
        staff: olga.id,
        start,
        clientName: name,
        phone: "+79161234567",
      });
    };
    book(101, "Анна Петрова", TODAY_NOON);
    book(102, "Борис Ким", TODAY_NOON + 2 * 3_600_000);
    assert.ok(services.clientNotes.add(101, "Аллергия на краску с аммиаком", OWNER).ok);

    const master = t.fake.user(OLGA_TG, { first_name: "Ольга", language_code: "ru" });
    await send(master, "/menu");
    await press(master, "🗓 Мой день");
    await press(master, /Анна Петрова/);
    assert.match(master.lastMessage()!.text!, /Аллергия на краску с аммиаком/);
    await press(master, "⬅️ К моему дню");
    await press(master, /Борис Ким/);
    assert.doesNotMatch(master.lastMessage()!.text!, /Аллергия/, "another client's card");

    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    await send(anna, "/my");
    await press(anna, /Haircut/);
    const seen = anna.messages().map((m) => m.text ?? m.caption ?? "");
    assert.ok(seen.every((text) => !text.includes("Аллергия")), "the client never sees a note");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});
