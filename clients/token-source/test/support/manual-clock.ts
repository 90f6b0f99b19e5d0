import type { Clock } from "../../src/index.js";

interface Timer {
  at: number;
  delayMs: number;
  callback: () => void;
}

/** Lets the event loop run the work that is ready (promise chains, body reads), without waiting on wall-clock time. */
export async function settle(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Simulated time: `now` moves only when a test advances it, and timers fire then, in order. */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();

  constructor(start = Date.UTC(2026, 11, 7, 12, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + delayMs, delayMs, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** The delays of the timers still pending, in the order they were set. */
  get pendingDelays(): number[] {
    return [...this.#timers.values()].map((timer) => timer.delayMs);
  }

  /** Lets ready work run until a timer is pending (a retry's wait, a renewal), and returns its delay. */
  async nextTimer(): Promise<number> {
    for (let i = 0; i < 20 && this.#timers.size === 0; i++) await settle();
    const [first] = [...this.#timers.values()].sort((a, b) => a.at - b.at);
    if (!first) throw new Error("no timer was set");
    return first.delayMs;
  }

  /** Moves time forward without firing the timers that fall due: they fire late, at the next `advance`, as in a throttled background tab. */
  skip(ms: number): void {
    this.#now += ms;
  }

  /** Moves time forward by `ms`, firing each timer that falls due on the way and letting its work run. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, timer]) => timer.at <= target).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      const [id, timer] = due;
      this.#timers.delete(id);
      this.#now = Math.max(this.#now, timer.at);
      timer.callback();
      await settle();
    }
    this.#now = target;
    await settle();
  }
}
