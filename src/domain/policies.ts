/** Rules about changing a booking once it is made. */

/** True while a client may still cancel or move a booking starting at `start`. */
export function canClientChange(start: number, now: number, cutoffHours: number): boolean {
  return start - now >= cutoffHours * 3_600_000;
}

/** The last instant a client may cancel or move a booking starting at `start`. */
export function changeDeadline(start: number, cutoffHours: number): number {
  return start - cutoffHours * 3_600_000;
}
