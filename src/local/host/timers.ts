// Runs timer functions on their schedules like the host's timer listener: never two runs of one timer
// at once (the host takes a singleton lock), next occurrence computed after a run ends, runOnStartup.
import type { Schedule } from './ncrontab.js';

/** The first argument a timer handler receives (camelCased, as the Node.js worker hands it over). */
export interface TimerInfo {
  isPastDue: boolean;
  schedule: { adjustForDST: boolean };
  scheduleStatus?: { last: string; next: string; lastUpdated: string };
}

export interface TimerEntry {
  name: string;
  schedule: Schedule;
  runOnStartup: boolean;
  useMonitor: boolean;
}

export type TimerRunner = (name: string, info: TimerInfo) => Promise<void>;

interface TimerState {
  entry: TimerEntry;
  handle: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  last: Date | undefined;
}

// setTimeout cannot wait longer than this; a later occurrence is re-armed when the wait ends.
const MAX_DELAY_MS = 2 ** 31 - 1;
// Later than this past its occurrence counts as past due.
const PAST_DUE_MS = 1000;
const NEVER = '0001-01-01T00:00:00';

export class TimerScheduler {
  readonly #timers = new Map<string, TimerState>();
  readonly #run: TimerRunner;
  readonly #onError: (name: string, err: unknown) => void;
  #started = false;
  #stopped = false;

  constructor(entries: readonly TimerEntry[], run: TimerRunner, onError: (name: string, err: unknown) => void) {
    for (const entry of entries) {
      this.#timers.set(entry.name.toLowerCase(), { entry, handle: undefined, running: undefined, last: undefined });
    }
    this.#run = run;
    this.#onError = onError;
  }

  has(name: string): boolean {
    return this.#timers.has(name.toLowerCase());
  }

  /** Arms every timer; runOnStartup ones run first. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    for (const st of this.#timers.values()) {
      if (st.entry.runOnStartup) void this.#scheduled(st, new Date());
      else this.#arm(st);
    }
  }

  /** Runs a timer now (after any run in progress) and settles with the handler's outcome. */
  async runNow(name: string): Promise<void> {
    const st = this.#timers.get(name.toLowerCase());
    if (!st) throw new Error(`No timer function named "${name}".`);
    while (st.running) await st.running.catch(() => {});
    return this.#execute(st, new Date());
  }

  /** Disarms all timers and waits for runs in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const st of this.#timers.values()) clearTimeout(st.handle);
    await Promise.all([...this.#timers.values()].map((st) => st.running?.catch(() => {})));
  }

  #arm(st: TimerState, after: Date = new Date()): void {
    if (this.#stopped) return;
    clearTimeout(st.handle);
    const due = st.entry.schedule.next(after);
    if (!due) return;
    const wait = (): void => {
      const delay = due.getTime() - Date.now();
      if (delay <= 0) {
        st.handle = undefined;
        void this.#scheduled(st, due);
        return;
      }
      st.handle = setTimeout(delay > MAX_DELAY_MS ? wait : () => void this.#scheduled(st, due), Math.min(delay, MAX_DELAY_MS));
    };
    wait();
  }

  async #scheduled(st: TimerState, due: Date): Promise<void> {
    st.handle = undefined;
    if (this.#stopped) return;
    // An occurrence that finds a run in progress (e.g. a runTimer call) is skipped, not queued.
    if (!st.running) {
      try {
        await this.#execute(st, due);
      } catch (err) {
        this.#onError(st.entry.name, err);
      }
    }
    // From the occurrence at the earliest, so a timer firing a hair early cannot repeat it.
    this.#arm(st, new Date(Math.max(Date.now(), due.getTime())));
  }

  #execute(st: TimerState, due: Date): Promise<void> {
    const now = new Date();
    const info: TimerInfo = { isPastDue: now.getTime() - due.getTime() > PAST_DUE_MS, schedule: { adjustForDST: true } };
    if (st.entry.useMonitor) {
      const next = st.entry.schedule.next(now);
      info.scheduleStatus = { last: st.last?.toISOString() ?? NEVER, next: next?.toISOString() ?? NEVER, lastUpdated: now.toISOString() };
    }
    st.last = due;
    const running = this.#run(st.entry.name, info).finally(() => {
      if (st.running === running) st.running = undefined;
    });
    st.running = running;
    return running;
  }
}
