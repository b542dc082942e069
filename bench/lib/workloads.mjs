// The benchmark workloads, as data every contender reads (the Python peers get them as JSON).
// Only documentation prefixes (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) appear in config.

/** Every farm daemon gets this before the measurements, so OSPF show commands have an instance. */
export const BASE_CONFIG = ['router ospf'];

/** The recipe of workload (c): router-id, network, cost (the shape of issue 6's ospf-router-id / ospf-network / ospf-cost). */
export const RECIPE_LINES = [
  'router ospf',
  ' ospf router-id 192.0.2.1',
  ' network 192.0.2.0/24 area 0',
  'exit',
  'interface lo',
  ' ip ospf cost 10',
  'exit',
];

/** What workload (c) changed, undone: every run of (c) starts from the same base and really changes it. */
export const RECIPE_RESET = ['no router ospf', ...BASE_CONFIG, 'interface lo', 'no ip ospf cost', 'exit'];

export const WORKLOADS = {
  a: {
    title: '(a) login + enable + one show',
    show: ['show ip ospf neighbor'],
    config: [],
    verify: null,
  },
  b: {
    title: '(b) 10-command batch',
    show: [
      'show version',
      'show ip ospf',
      'show ip ospf neighbor',
      'show ip ospf interface',
      'show ip ospf database',
      'show ip ospf route',
      'show ip ospf border-routers',
      'show running-config',
      'show logging',
      'show memory',
    ],
    config: [],
    verify: null,
  },
  c: {
    title: '(c) config recipe (router-id, network, cost) + verify',
    show: ['show ip ospf'],
    config: RECIPE_LINES,
    // each contender checks the verify output holds this text
    verify: 'Router ID: 192.0.2.1',
  },
  d: {
    title: '(d) show running-config, ~3,000-line configs',
    show: ['show running-config'],
    config: [],
    // each contender checks the output is complete (the last neighbor line and `end`)
    verify: 'neighbor 203.0.113.254',
  },
};

/** The vty lines a prompt-driven client sends for a workload, in order. */
export function commandsOf(w) {
  return w.config.length ? ['configure terminal', ...w.config.map((l) => l.trim()), 'end', ...w.show] : [...w.show];
}

/**
 * Workload (d)'s big config: ~3,000 `router ospf` lines (network / neighbor / area), all in the
 * documentation ranges. ospfd takes these fast (~0.1 ms a line); lib's prefix-lists would go
 * through the northbound commit per line and take ~35 ms a line at this size.
 */
export function bigConfigLines() {
  const lines = ['router ospf'];
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  for (const net of nets) for (let len = 24; len <= 32; len++) for (let i = 0; i < 256; i += 2 ** (32 - len)) lines.push(` network ${net}.${i}/${len} area ${len - 24}`);
  for (const net of nets) for (let i = 1; i < 255; i++) lines.push(` neighbor ${net}.${i}`);
  for (let i = 100; i < 800; i++) lines.push(` area ${i} stub`);
  return lines;
}

/** Takes the big config (and the recipe's router ospf lines) away again, back to BASE_CONFIG. */
export const BIG_CONFIG_CLEANUP = ['no router ospf', ...BASE_CONFIG];
