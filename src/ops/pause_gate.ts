/**
 * A gate the bot's updates pass through. `pause` closes it and resolves once every update that
 * had passed has finished; updates arriving meanwhile wait at the gate (none is dropped) and go
 * on after `resume`. Used to swap the database under a running bot.
 */
export class PauseGate {
  #active = 0;
  #closed: PromiseWithResolvers<void> | undefined;
  #idle: (() => void)[] = [];

  /** Whether the gate is closed now. */
  get paused(): boolean {
    return this.#closed !== undefined;
  }

  /** How many updates wait at the closed gate (for logs and tests). */
  waiting = 0;

  /** Runs `fn` once the gate is open; `pause` waits for it to finish. */
  async pass<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#closed) {
      this.waiting++;
      try {
        await this.#closed.promise;
      } finally {
        this.waiting--;
      }
    }
    this.#active++;
    try {
      return await fn();
    } finally {
      this.#active--;
      if (this.#active === 0) { for (const wake of this.#idle.splice(0)) wake(); }
    }
  }

  /** Closes the gate and resolves when no update that passed it is still running. */
  async pause(): Promise<void> {
    this.#closed ??= Promise.withResolvers<void>();
    if (this.#active > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  /** Opens the gate: the waiting updates go on. */
  resume(): void {
    const closed = this.#closed;
    this.#closed = undefined;
    closed?.resolve();
  }
}
