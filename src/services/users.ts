/** The people who talk to the bot: their Telegram profile, language and remembered contact. */
import type { Clock } from "../domain/clock.ts";
import { type InputProblem, validateName, validatePhone } from "../domain/validation.ts";
import { type Db, relaxedWrite } from "../db/connection.ts";
import {
  getUser,
  markBlocked,
  rememberContact,
  setUserLanguage,
  type TelegramProfile,
  upsertUser,
  type User,
} from "../db/users_repo.ts";

/** Users as the bot sees them. */
export class UsersService {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /**
   * Records the sender of an update; writes only when the profile changed or the user comes
   * back after blocking the bot. Returns the stored user as it was before.
   */
  track(from: TelegramProfile): User | undefined {
    const db = this.db;
    const known = getUser(db, from.id);
    if (
      !known || known.blockedAt !== null || known.firstName !== from.first_name ||
      known.lastName !== (from.last_name ?? null) || known.username !== (from.username ?? null) ||
      known.languageCode !== (from.language_code ?? null)
    ) {
      // Rewritten by the next update if a power cut loses it: no fsync needed.
      relaxedWrite(db, () => upsertUser(db, from, this.clock.now()));
    }
    return known;
  }

  /** Stores the language the user chose. */
  setLanguage(userId: number, language: string): void {
    setUserLanguage(this.db, userId, language, this.clock.now());
  }

  /** Marks a user who blocked the bot. */
  markBlocked(userId: number): void {
    markBlocked(this.db, userId, this.clock.now());
  }

  /**
   * Changes the name or phone future bookings offer ("Мои данные"); the other stays as it is.
   * Returns the problem when the value is refused.
   */
  setContact(userId: number, field: "name" | "phone", value: string): InputProblem | undefined {
    const user = getUser(this.db, userId);
    const checked = field === "name" ? validateName(value) : validatePhone(value);
    if (!checked.ok) return checked.problem;
    const name = field === "name" ? checked.value : user?.lastClientName ?? null;
    const phone = field === "phone" ? checked.value : user?.lastPhone ?? null;
    rememberContact(this.db, userId, name, phone, this.clock.now());
    return undefined;
  }
}
