/**
 * LeanComposer: grammY's Composer with a chain that allocates little per update.
 *
 * grammY links every registered middleware with two async wrappers, and runs each filter
 * (`on`, `command`, `callbackQuery`, `hears`...) through `branch` and `lazy`, which build a new
 * Composer, an array and several closures and promises for EVERY update that passes by, match
 * or not. With ~150 handlers an update walked past most of them: about 30 % of all the bytes
 * the bot allocated per update (bench/alloc_profile.ts). Here a composer keeps a plain list of
 * steps and a filter is one step that tests its predicate; the order, the `next` contract
 * (callable once) and the errors are grammY's.
 */
import {
  Composer,
  type Context,
  type Middleware,
  type MiddlewareFn,
  type NextFunction,
} from "grammy";

/** One link of a chain: `run`, or, when `when` is given, `run` only if `when` holds. */
export interface Step<C extends Context> {
  when?: (ctx: C) => boolean | Promise<boolean>;
  run: MiddlewareFn<C>;
}

/**
 * Runs `steps[i..]` with `ctx`: each step's `next` runs the following one, the last one's is
 * `next`; a step whose `when` does not hold is passed over (no closure, no promise). Resolves when
 * the first step run settles (what it resolves to is ignored, as by grammY); a step that throws
 * rejects; a second call of the same `next` rejects as grammY's does.
 */
export function runSteps<C extends Context>(
  steps: readonly Step<C>[],
  ctx: C,
  next: NextFunction,
  i = 0,
): Promise<void> {
  try {
    for (; i < steps.length; i++) {
      const { when, run } = steps[i];
      if (when) {
        const holds = when(ctx);
        if (holds instanceof Promise) {
          const at = i;
          return holds.then((ok) =>
            ok ? runStep(steps, ctx, next, at) : runSteps(steps, ctx, next, at + 1)
          );
        }
        if (!holds) continue;
      }
      return runStep(steps, ctx, next, i);
    }
  } catch (error) {
    return Promise.reject(error);
  }
  return next();
}

/** Runs `steps[i].run` with a `next` that continues at i + 1, callable once (throws: caller catches). */
function runStep<C extends Context>(
  steps: readonly Step<C>[],
  ctx: C,
  next: NextFunction,
  i: number,
): Promise<void> {
  let called = false;
  return Promise.resolve(steps[i].run(ctx, () => {
    if (called) return Promise.reject(new Error("`next` already called before!"));
    called = true;
    return runSteps(steps, ctx, next, i + 1);
  })) as Promise<void>;
}

/** The function that runs `mw`: a composer's middleware is looked up per update, as grammY does. */
function asStep<C extends Context>(mw: Middleware<C>): MiddlewareFn<C> {
  if (typeof mw === "function") return mw;
  // A LeanComposer's middleware is one stable function over its live list of steps.
  if (mw instanceof LeanComposer) return mw.middleware();
  return (ctx, next) => mw.middleware()(ctx, next);
}

/** A Composer whose `use` and `filter` (so `on`, `command`, `callbackQuery`...) are cheap per update. */
export class LeanComposer<C extends Context> extends Composer<C> {
  readonly #steps: Step<C>[] = [];
  readonly #run: MiddlewareFn<C> = (ctx, next) => runSteps(this.#steps, ctx, next);

  constructor(...middleware: Middleware<C>[]) {
    super();
    for (const mw of middleware) this.#steps.push({ run: asStep(mw) });
  }

  override middleware(): MiddlewareFn<C> {
    return this.#run;
  }

  /** As grammY's: runs `middleware` after everything registered so far; returns their composer. */
  override use(...middleware: Middleware<C>[]): Composer<C> {
    const composer = new LeanComposer<C>(...middleware);
    this.#steps.push({ run: composer.middleware() });
    return composer;
  }

  /** As grammY's: `middleware` runs when `predicate` holds (awaited if a promise), else next. */
  override filter<D extends C>(
    predicate: (ctx: C) => ctx is D,
    ...middleware: Middleware<D>[]
  ): Composer<D>;
  override filter(
    predicate: (ctx: C) => boolean | Promise<boolean>,
    ...middleware: Middleware<C>[]
  ): Composer<C>;
  override filter(
    predicate: (ctx: C) => boolean | Promise<boolean>,
    ...middleware: Middleware<C>[]
  ): Composer<C> {
    const composer = new LeanComposer<C>(...middleware);
    this.#steps.push({ when: predicate, run: composer.middleware() });
    return composer;
  }
}
