// The host×service state machine: rise/fall hysteresis, flap hold-down, control plane, retry bounds.
import { describe, expect, it } from 'vitest';
import { actionFailed, actionSucceeded, inHoldDown, initialHost, recordCheck, recordControl, type CheckResult, type HostState, type Thresholds } from '../../../src/guard/state.js';

const T: Thresholds = { rise: 2, fall: 3, flap: { count: 3, windowMs: 60_000, holdMs: 120_000 } };
const pass = (at: number): CheckResult => ({ ok: true, ms: 3, reason: 'HTTP 200', at });
const fail = (at: number): CheckResult => ({ ok: false, ms: 1000, reason: 'timed out after 1000 ms', at });

function feed(s: HostState, seq: string, t = T, start = 0, step = 1000) {
  const events: string[] = [];
  seq.split('').forEach((c, i) => {
    const r = recordCheck(s, c === '+' ? pass(start + i * step) : fail(start + i * step), t);
    s = r.state;
    events.push(...r.events.map((e) => e.event));
  });
  return { s, events };
}

describe('rise and fall', () => {
  it('unknown until rise passes or fall failures in a row', () => {
    expect(feed(initialHost('a'), '+').s.health).toBe('unknown');
    expect(feed(initialHost('a'), '++').s.health).toBe('healthy');
    expect(feed(initialHost('a'), '--').s.health).toBe('unknown');
    expect(feed(initialHost('a'), '---').s.health).toBe('failing');
    // alternating never settles: neither run is long enough
    expect(feed(initialHost('a'), '+-+-+-+-').s.health).toBe('unknown');
  });

  it('hysteresis: fewer than fall failures keep a healthy host healthy, fewer than rise passes keep a failing one failing', () => {
    const h = feed(initialHost('a'), '++--+--+--');
    expect(h.s.health).toBe('healthy');
    expect(h.events).toEqual(['healthy']);
    const f = feed(initialHost('a'), '---+-+-+-');
    expect(f.s.health).toBe('failing');
    expect(f.events).toEqual(['failing']);
  });

  it('each transition is one event with the reason', () => {
    const { s, events } = feed(initialHost('a'), '++---++');
    expect(events).toEqual(['healthy', 'failing', 'healthy']);
    expect(s.results).toBe(7);
    const r = recordCheck(feed(initialHost('a'), '++--').s, fail(9), T);
    expect(r.events).toEqual([{ event: 'failing', reason: '3 checks in a row failed (fall 3): timed out after 1000 ms' }]);
  });
});

describe('flap hold-down', () => {
  const cycle = '++---'; // one health loss per cycle
  it('the Nth loss within the window starts the hold-down; earlier ones do not', () => {
    const two = feed(initialHost('a'), cycle.repeat(2));
    expect(two.events.filter((e) => e === 'flap-hold')).toHaveLength(0);
    expect(two.s.holdUntil).toBeNull();
    const three = feed(initialHost('a'), cycle.repeat(3));
    expect(three.events.filter((e) => e === 'flap-hold')).toHaveLength(1);
    const lossAt = 14_000; // the 15th result (index 14) is the third loss
    expect(three.s.holdUntil).toBe(lossAt + 120_000);
    expect(inHoldDown(three.s, lossAt + 119_999)).toBe(true);
    expect(inHoldDown(three.s, lossAt + 120_000)).toBe(false);
  });

  it('losses older than the window do not count', () => {
    // 30 s between results: three losses span more than the 60 s window
    const slow = feed(initialHost('a'), cycle.repeat(3), T, 0, 30_000);
    expect(slow.s.holdUntil).toBeNull();
    expect(slow.s.losses.length).toBeLessThan(3);
  });

  it('never healthy is no flap; flap: false never holds', () => {
    expect(feed(initialHost('a'), '---+---+---').s.losses).toEqual([]);
    expect(feed(initialHost('a'), cycle.repeat(5), { ...T, flap: null }).s.holdUntil).toBeNull();
  });
});

describe('control plane and actions', () => {
  it('unreachable and back are events; staying the same is not', () => {
    let s = initialHost('a');
    const r1 = recordControl(s, true, null);
    expect(r1.events).toEqual([]);
    const r2 = recordControl(r1.state, false, 'connect ECONNREFUSED');
    expect(r2.events).toEqual([{ event: 'unreachable', reason: 'connect ECONNREFUSED' }]);
    expect(r2.state.controlReason).toBe('connect ECONNREFUSED');
    expect(recordControl(r2.state, false, 'again').events).toEqual([]);
    s = recordControl(r2.state, true, null).state;
    expect(s.control).toBe('reachable');
    expect(s.controlReason).toBeNull();
  });

  it('failed actions count up to the bound, back off, then alert; success clears and marks', () => {
    const b = { attempts: 3, backoffMs: 5000 };
    let s = initialHost('a');
    let r = actionFailed(s, 'drain', 'verify failed', 1000, b);
    expect(r.state.action).toEqual({ kind: 'drain', attempts: 1, nextAt: 6000, lastError: 'verify failed', alerted: false });
    r = actionFailed(r.state, 'drain', 'verify failed', 7000, b);
    expect(r.alerted).toBe(false);
    r = actionFailed(r.state, 'drain', 'rolled back', 13_000, b);
    expect(r.alerted).toBe(true);
    expect(r.state.action!.attempts).toBe(3);
    // a different action starts its own count
    expect(actionFailed(r.state, 'undrain', 'x', 20_000, b).state.action!.attempts).toBe(1);
    s = actionSucceeded(r.state, 'drain');
    expect(s.action).toBeNull();
    expect(s.drainedByGuard).toBe(true);
    expect(actionSucceeded(s, 'undrain').drainedByGuard).toBe(false);
  });
});
