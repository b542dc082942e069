// One listener per AbortSignal however many subscribe (src/base/abort.ts).
import { describe, expect, it } from 'vitest';
import { onAbort } from '../../../src/base/abort.js';

/** How many 'abort' listeners the signal really holds, counted at the EventTarget. */
function counted(signal: AbortSignal): { count: () => number } {
  let n = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, ...rest: Parameters<typeof add> extends [unknown, ...infer R] ? R : never) => {
    if (type === 'abort') n++;
    return add(type, ...(rest as [EventListener]));
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, ...rest: Parameters<typeof remove> extends [unknown, ...infer R] ? R : never) => {
    if (type === 'abort') n--;
    return remove(type, ...(rest as [EventListener]));
  }) as typeof signal.removeEventListener;
  return { count: () => n };
}

describe('onAbort', () => {
  it('calls every subscriber once, in order, from one listener on the signal', () => {
    const ac = new AbortController();
    const c = counted(ac.signal);
    const calls: number[] = [];
    const offs = Array.from({ length: 1000 }, (_, i) => onAbort(ac.signal, () => calls.push(i)));
    expect(c.count()).toBe(1);
    offs[3]!();
    offs[3]!(); // twice is harmless
    ac.abort();
    ac.abort();
    expect(calls).toHaveLength(999);
    expect(calls.slice(0, 4)).toEqual([0, 1, 2, 4]);
  });

  it('an unsubscribed callback is not called; one function subscribed twice is called twice', () => {
    const ac = new AbortController();
    let a = 0;
    let b = 0;
    const f = () => b++;
    onAbort(ac.signal, f);
    onAbort(ac.signal, f);
    onAbort(ac.signal, () => a++)();
    ac.abort();
    expect([a, b]).toEqual([0, 2]);
  });

  it('an aborted signal calls at once; no signal never calls', () => {
    const ac = new AbortController();
    ac.abort();
    let n = 0;
    onAbort(ac.signal, () => n++)();
    expect(n).toBe(1);
    expect(() => onAbort(undefined, () => n++)()).not.toThrow();
    expect(n).toBe(1);
  });

  it('a signal aborted after everyone left calls no one, and a later subscriber still hears it', () => {
    const ac = new AbortController();
    let n = 0;
    onAbort(ac.signal, () => n++)();
    const later = onAbort(ac.signal, () => (n += 10));
    ac.abort();
    later();
    expect(n).toBe(10);
  });
});
