// One listener per AbortSignal, however many sessions wait on it. Node's EventTarget checks every
// addEventListener/removeEventListener against the listeners already there, so a fan-out that gave
// each of N sessions its own listener on the run's one signal paid O(N²): ~50 ms of CPU at 1,000
// hosts (bench/NOTES.md, "One abort listener per signal"). Here each signal gets one real listener
// and the sessions sit in a Set: subscribing and unsubscribing are O(1).
const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `fn` once when `signal` aborts (at once if it has); returns the unsubscribe. Callbacks run
 * in subscription order; one that throws does not keep the others from running.
 */
export function onAbort(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    fn();
    return () => {};
  }
  let set = subscribers.get(signal);
  if (!set) {
    const own = new Set<() => void>();
    set = own;
    subscribers.set(signal, own);
    signal.addEventListener(
      'abort',
      () => {
        subscribers.delete(signal);
        let error: unknown = null;
        for (const f of own) {
          try {
            f();
          } catch (e) {
            error ??= e;
          }
        }
        own.clear();
        if (error !== null) queueMicrotask(() => {
          throw error;
        });
      },
      { once: true },
    );
  }
  // a wrapper, so one function subscribed twice is called twice, as two listeners would be
  const entry = () => fn();
  set.add(entry);
  return () => void set.delete(entry);
}

/** How many callbacks wait on `signal` (tests: a finished run leaves none behind). */
export function waitingOn(signal: AbortSignal): number {
  return subscribers.get(signal)?.size ?? 0;
}
