/** Keyboards that both the bot and the jobs send. */
import { button, type Buttons } from "./buttons.ts";
import { cb } from "./callback_data.ts";

/** The star buttons for a booking's feedback request. */
export function ratingButtons(bookingId: number): Buttons {
  const star = (stars: number) =>
    button("⭐".repeat(stars), cb.rate.pack({ id: bookingId, stars }));
  return [[1, 2, 3].map(star), [4, 5].map(star)];
}
