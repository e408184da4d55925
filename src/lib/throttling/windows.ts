// Fixed windows aligned to the epoch, shared by rate limits and quotas. Every instance derives the same
// window from the same instant without coordinating, so a window's key can name one shared counter row.
export interface Window {
  /** Epoch milliseconds. */
  readonly start: number;
  readonly periodSeconds: number;
}

export function windowAt(nowMs: number, periodSeconds: number): Window {
  if (!Number.isSafeInteger(periodSeconds) || periodSeconds <= 0) throw new RangeError(`bad window period: ${periodSeconds}`);
  if (!Number.isFinite(nowMs)) throw new RangeError(`bad instant: ${nowMs}`);
  const periodMs = periodSeconds * 1000;
  return { start: Math.floor(nowMs / periodMs) * periodMs, periodSeconds };
}

export function windowEnd(window: Window): number {
  return window.start + window.periodSeconds * 1000;
}

/** Names a window within a scope; the counter stores' row key. */
export function windowKey(window: Window): string {
  return `${window.periodSeconds}-${window.start}`;
}

/** Whole seconds to wait from `nowMs` until `targetMs` has passed (rounded up, at least 1): a Retry-After value. */
export function secondsUntil(targetMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((targetMs - nowMs) / 1000));
}

/** A duration as .NET's TimeSpan prints it ("[d.]hh:mm:ss"), as APIM's quota message does. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor((s % 86_400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days > 0 ? `${days}.${clock}` : clock;
}
