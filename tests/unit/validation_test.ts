import assert from "node:assert/strict";
import { anonymiseName, validateName, validatePhone } from "../../src/domain/validation.ts";

Deno.test("name: letters of any alphabet, spaces, hyphens and apostrophes", () => {
  for (
    const ok of ["Анна", "Anna Karenina", "Jean-Luc", "O'Brien", "Zoë SS", "李小龙", "Ёлка  Ёж"]
  ) {
    assert.equal(validateName(ok).ok, true, ok);
  }
  assert.deepEqual(validateName("  Анна   Петрова "), { ok: true, value: "Анна Петрова" });
});

Deno.test("name: length 2..100 and no digits or symbols", () => {
  assert.deepEqual(validateName("A"), { ok: false, problem: "name_length" });
  assert.deepEqual(validateName("   "), { ok: false, problem: "name_length" });
  assert.deepEqual(validateName("a".repeat(101)), { ok: false, problem: "name_length" });
  assert.equal(validateName("a".repeat(100)).ok, true);
  for (const bad of ["Anna1", "<b>x</b>", "Anna!", "-Anna", "Anna--K", "x😀y"]) {
    assert.deepEqual(validateName(bad), { ok: false, problem: "name_chars" }, bad);
  }
});

Deno.test("phone: Russian formats normalise to E.164", () => {
  assert.deepEqual(validatePhone("+79161234567"), { ok: true, value: "+79161234567" });
  assert.deepEqual(validatePhone("89161234567"), { ok: true, value: "+79161234567" });
  assert.deepEqual(validatePhone("8 (916) 123-45-67"), { ok: true, value: "+79161234567" });
  assert.deepEqual(validatePhone("79161234567"), { ok: true, value: "+79161234567" });
});

Deno.test("phone: international E.164 accepted, junk refused", () => {
  assert.deepEqual(validatePhone("+49 30 1234567"), { ok: true, value: "+49301234567" });
  assert.deepEqual(validatePhone("+1 (212) 555-0100"), { ok: true, value: "+12125550100" });
  for (
    const bad of [
      "",
      "12345",
      "+7916123456",
      "+791612345678",
      "phone",
      "+0123456789",
      "9161234567",
      "+1234567890123456",
    ]
  ) {
    assert.deepEqual(validatePhone(bad), { ok: false, problem: "phone_format" }, bad);
  }
});

Deno.test("anonymised names keep the first name and an initial", () => {
  assert.equal(anonymiseName("Anna Karenina"), "Anna K.");
  assert.equal(anonymiseName("Анна Сергеевна Петрова"), "Анна П.");
  assert.equal(anonymiseName("Cher"), "Cher");
});
