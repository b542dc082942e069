// The guard's config: defaults, durations, check kinds, every error at file:line:column with hints,
// and check templates filled from the host's address, name and inventory vars.
import { describe, expect, it } from 'vitest';
import { parseGuardConfig, splitArgv } from '../../../src/guard/config.js';
import { GuardConfigError, GuardTemplateError } from '../../../src/guard/errors.js';
import { renderCheck } from '../../../src/guard/template.js';

const EXAMPLE = `services:
  web:
    vip: 192.0.2.200                       # the VIP this service is reached on
    targets: "@lvs"
    check:
      http: "http://{{address}}:8080/"
      expect_status: 200
      timeout: 1s
    interval: 1s
    rise: 2
    fall: 2
    min_healthy: 1
`;

function issuesOf(text: string): GuardConfigError['issues'] {
  try {
    parseGuardConfig(text, 'g.yaml');
  } catch (e) {
    if (e instanceof GuardConfigError) return e.issues;
    throw e;
  }
  throw new Error('parsed without error');
}

describe('guard config', () => {
  it("parses the issue's example with its values and the defaults", () => {
    const c = parseGuardConfig(EXAMPLE, 'g.yaml');
    expect(c.routers).toBe('@routers');
    expect(c.recipes).toEqual({ drain: 'drain', undrain: 'undrain' });
    expect(c.services).toHaveLength(1);
    const s = c.services[0]!;
    expect(s).toMatchObject({ name: 'web', vip: '192.0.2.200', targets: '@lvs', intervalMs: 1000, rise: 2, fall: 2, minHealthy: 1, drainedByOther: 'leave', attempts: 3, backoffMs: 5000 });
    expect(s.check).toEqual({ kind: 'http', template: 'http://{{address}}:8080/', argv: [], expectStatus: [200], timeoutMs: 1000 });
    expect(s.flap).toEqual({ count: 3, windowMs: 60_000, holdMs: 120_000 });
  });

  it('durations take 500ms, 2s, 1m and bare seconds; defaults apply to every service', () => {
    const c = parseGuardConfig(
      `defaults:
  interval: 500ms
  fall: 4
  flap: { count: 2, window: 1m, hold: 90s }
  check: { timeout: 250ms }
services:
  a: { vip: 192.0.2.1, check: { tcp: "{{address}}:80" } }
  b: { vip: 192.0.2.2, interval: 2, fall: 1, flap: false, check: { command: "sh -c 'curl -fsS http://{{address}}/ >/dev/null'", timeout: 1.5 } }
`,
      'g.yaml',
    );
    const [a, b] = c.services;
    expect(a).toMatchObject({ intervalMs: 500, fall: 4, flap: { count: 2, windowMs: 60_000, holdMs: 90_000 } });
    expect(a!.check.timeoutMs).toBe(250);
    expect(b).toMatchObject({ intervalMs: 2000, fall: 1, flap: null });
    expect(b!.check.argv).toEqual(['sh', '-c', 'curl -fsS http://{{address}}/ >/dev/null']);
    expect(b!.check.timeoutMs).toBe(1500);
  });

  it('a mistyped key is reported where it is, with did you mean', () => {
    const is = issuesOf(EXAMPLE.replace('    rise: 2', '    rize: 2').replace('      expect_status: 200', '      expect_stauts: 200'));
    expect(is.map((i) => [i.line, i.column, i.key, i.message])).toEqual(
      expect.arrayContaining([
        [7, 7, 'services.web.check.expect_stauts', "unknown key 'expect_stauts' (did you mean 'expect_status'?)"],
        [10, 5, 'services.web.rize', "unknown key 'rize' (did you mean 'rise'?)"],
      ]),
    );
  });

  it('schema errors: durations and counts, each at its position', () => {
    const m = new Map(issuesOf(`services:
  a:
    vip: 192.0.2.3
    interval: 2 seconds
    rise: 0
    check: { http: "http://x/" }
`).map((i) => [i.key, `${i.line}:${i.column} ${i.message}`]));
    expect(m.get('services.a.interval')).toMatch(/^4:15 must be a duration like 500ms, 2s or 1m/);
    expect(m.get('services.a.rise')).toBe('5:11 must be at least 1');
  });

  it('cross-field errors: VIP, two check kinds, no check kind, bad tcp target, timeout past the interval', () => {
    const is = issuesOf(`services:
  a:
    vip: 192.0.2.300
    check: { http: "http://x/", tcp: "x:1" }
  b:
    vip: 192.0.2.5
    check: { timeout: 1s }
  c:
    vip: 192.0.2.6
    interval: 500ms
    check: { tcp: "{{address}}", timeout: 1s }
`);
    const m = new Map(is.map((i) => [i.key, `${i.line}:${i.column} ${i.message}`]));
    expect(m.get('services.a.vip')).toBe('3:10 "192.0.2.300" is not an IPv4 address (A.B.C.D)');
    expect(m.get('services.a.check')).toBe('4:12 give one check kind, not http and tcp');
    expect(m.get('services.b.check')).toBe('7:12 give one of http, tcp, command, ssh');
    expect(m.get('services.c.check.tcp')).toMatch(/^11:19 "\{\{address\}\}" is not ADDRESS:PORT/);
    expect(m.get('services.c.check.timeout')).toBe('11:43 check timeout 1000 ms is longer than the interval 500 ms');
  });

  it('the same VIP in two services, expect_status on a tcp check, YAML syntax errors', () => {
    const is = issuesOf(`services:
  a: { vip: 192.0.2.7, check: { tcp: "x:1", expect_status: 200 } }
  b: { vip: 192.0.2.7, check: { tcp: "x:1" } }
`);
    expect(is.map((i) => i.message)).toEqual(expect.arrayContaining(['expect_status is only for http checks', "VIP 192.0.2.7 is already service a's: two services draining one VIP would fight"]));
    expect(() => parseGuardConfig('services:\n  a: { vip: [\n', 'bad.yaml')).toThrow(/^bad\.yaml:\d+:\d+: YAML syntax/);
    expect(() => parseGuardConfig('- a\n', 'l.yaml')).toThrow(/l\.yaml:1:1: a guard config is a mapping/);
    expect(issuesOf('routers: "@r"\n').map((i) => i.key)).toEqual(['services']);
  });

  it('splits a command line into argv without a shell', () => {
    expect(splitArgv(`curl -fsS "http://a b/" 'x y' z\\ w`)).toEqual(['curl', '-fsS', 'http://a b/', 'x y', 'z w']);
    expect(splitArgv('a ""')).toEqual(['a', '']);
    expect(splitArgv(`a 'b`)).toEqual({ problem: "unclosed ' quote" });
    expect(splitArgv('   ')).toEqual({ problem: 'names no program' });
  });
});

describe('check templates', () => {
  const svc = parseGuardConfig(
    `services:
  web: { vip: 192.0.2.200, check: { http: "http://{{address}}:{{http_port}}/health?h={{name}}&v={{vip}}" } }
  cmd: { vip: 192.0.2.201, check: { command: ["/bin/check", "{{host}}", "--lan={{lan_ip}}"] } }
`,
    'g.yaml',
  ).services;
  const host = { name: 'lvs01', address: '198.51.100.3', vars: { http_port: 8080, lan_ip: '203.0.113.3' } };

  it('fill address, name, vip and inventory vars', () => {
    expect(renderCheck(svc[0]!, host).target).toBe('http://198.51.100.3:8080/health?h=lvs01&v=192.0.2.200');
    const c = renderCheck(svc[1]!, host);
    expect(c.argv).toEqual(['/bin/check', 'lvs01', '--lan=203.0.113.3']);
  });

  it('a name the host lacks names the service, host and a near miss', () => {
    let err: unknown;
    try {
      renderCheck(svc[0]!, { ...host, vars: { http_prot: 1 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GuardTemplateError);
    expect((err as Error).message).toBe("service web, host lvs01: {{http_port}}: no such name: not address, name, vip or service, and the host has no inventory var 'http_port' (did you mean 'http_prot'?)");
  });
});
