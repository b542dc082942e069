// The running-configs cut from the recorded FRR 8.4.4 transcripts parse into the expected trees.
import { describe, expect, it } from 'vitest';
import { parseRunningConfig, findNode } from '../../../src/recipe/config-tree.js';
import { recordedRunningConfig } from './helpers.js';

describe('recorded running-configs', () => {
  it('ospfd after router ospf: router-id and network under router ospf', () => {
    const t = parseRunningConfig(recordedRunningConfig('ospfd-10-config-ospf.jsonl'));
    const ospf = findNode(t, ['router ospf']);
    expect(ospf?.children.map((c) => c.line)).toEqual(['ospf router-id 198.51.100.1', 'network 198.51.100.0/24 area 0']);
  });
  it('zebra fresh config: only top-level lines, no structure noise', () => {
    const t = parseRunningConfig(recordedRunningConfig('zebra-09-show-running-config.jsonl'));
    expect(t.children.map((c) => c.line)).toEqual(['hostname q1', 'password zebra', 'enable password zebra', 'no ip forwarding', 'no ipv6 forwarding']);
  });
  it('the >64 KB config (3066 statements) parses as one router ospf node', () => {
    const t = parseRunningConfig(recordedRunningConfig('ospfd-25-large-running-config.jsonl'));
    const ospf = findNode(t, ['router ospf'])!;
    expect(ospf.children.filter((c) => c.line.startsWith('network ')).length).toBe(1022);
    expect(ospf.children.filter((c) => / range /.test(c.line)).length).toBe(2044);
    expect(t.children.filter((c) => c.line === 'router ospf')).toHaveLength(1);
  });
});
