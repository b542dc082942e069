// Ratios, target checks and the Markdown report of a benchmark result.
const PEERS = ['telnet-client', 'netmiko', 'ansible'];
const TARGET_SIZES = [100, 1000];

/** The rows of the whole-process table (issue 16), in order: what a user would run instead of what. */
export const PROCESS_ROWS = [
  ['raw', 'raw floor (minimal raw-socket client)'],
  ['vtymux-cli-auto', 'vtymux exec (default -d auto, run record)'],
  ['vtymux-cli-auto-norec', 'vtymux exec --no-log (-d auto)'],
  ['vtymux-cli', 'vtymux exec -d ospfd (run record)'],
  ['vtymux-cli-norec', 'vtymux exec -d ospfd --no-log'],
  ['vtymux-cli-auto-nocache', 'vtymux exec (-d auto, run record), inventory cache off'],
  ['vtymux-lib', 'vtymux library (runFleet, own process)'],
  ['telnet-client', 'npm telnet-client fan-out'],
  ['netmiko', 'Netmiko 2.4.2 (threads)'],
  ['ansible', 'Ansible ansible.netcommon.telnet'],
];
/** Issue 16: whole-process exec within this many times the raw floor's whole process. */
const PROCESS_TARGET = (size) => (size >= 500 ? 1.5 : 2);
const CPU_TARGET = 1.5;
const STARTUP_TARGET_MS = { version: 150, help: 150, 'exec-help': 150, 'shell-frame': 400 };

const sec = (ms) => (ms === null || ms === undefined ? '—' : ms >= 100_000 ? `${(ms / 1000).toFixed(0)}` : ms >= 10_000 ? `${(ms / 1000).toFixed(1)}` : `${(ms / 1000).toFixed(2)}`);
const mb = (kb) => (kb ? `${Math.round(kb / 1024)}` : '—');
const x = (r) => (r === null || r === undefined || !Number.isFinite(r) ? '—' : `${r.toFixed(r >= 10 ? 0 : 2)}×`);

export function analyse(result) {
  const out = { workloads: {}, targets: [] };
  for (const [wid, w] of Object.entries(result.workloads)) {
    out.workloads[wid] = {};
    for (const [size, block] of Object.entries(w.sizes)) {
      const raw = block.raw;
      const lib = block['vtymux-lib'];
      const cli = block['vtymux-cli'];
      const peers = PEERS.map((id) => ({ id, b: block[id] })).filter((p) => p.b && p.b.time);
      const okPeers = peers.filter((p) => p.b.allOk);
      const pool = okPeers.length ? okPeers : peers;
      const best = pool.sort((a, b) => a.b.time.median - b.b.time.median)[0] ?? null;
      const bestProc = [...pool].sort((a, b) => a.b.process.median - b.b.process.median)[0] ?? null;
      const r = {
        libVsRaw: lib && raw ? lib.work.median / raw.work.median : null,
        cliVsRawProcess: cli && raw ? cli.process.median / raw.process.median : null,
        bestPeer: best?.id ?? null,
        bestPeerVsLib: best && lib ? best.b.time.median / lib.work.median : null,
        bestPeerProcess: bestProc?.id ?? null,
        bestPeerProcessVsCli: bestProc && cli ? bestProc.b.process.median / cli.process.median : null,
        allOk: Object.fromEntries(Object.entries(block).map(([id, b]) => [id, b.allOk])),
      };
      out.workloads[wid][size] = r;
      if (TARGET_SIZES.includes(Number(size))) {
        const t = (name, value, ok) => out.targets.push({ workload: wid, size: Number(size), name, value, met: value === null ? null : ok });
        t('vtymux library within 1.5× of the raw floor (in-process time)', r.libVsRaw, r.libVsRaw !== null && r.libVsRaw <= 1.5);
        t('vtymux CLI within 1.5× of the raw floor (whole process)', r.cliVsRawProcess, r.cliVsRawProcess !== null && r.cliVsRawProcess <= 1.5);
        t(`vtymux library ≥ 8× faster than the fastest peer (${r.bestPeer ?? 'none'})`, r.bestPeerVsLib, r.bestPeerVsLib !== null && r.bestPeerVsLib >= 8);
        t(`vtymux CLI ≥ 8× faster than the fastest peer, whole process (${r.bestPeerProcess ?? 'none'})`, r.bestPeerProcessVsCli, r.bestPeerProcessVsCli !== null && r.bestPeerProcessVsCli >= 8);
      }
    }
  }
  // issue 16: the command a user types, whole process, against the whole-process floor
  for (const [wid, w] of Object.entries(result.workloads)) {
    for (const [size, block] of Object.entries(w.sizes)) {
      const raw = block.raw;
      if (!raw?.process) continue;
      for (const id of ['vtymux-cli-auto', 'vtymux-cli']) {
        const b = block[id];
        if (!b?.process) continue;
        const lim = PROCESS_TARGET(Number(size));
        const r = b.process.median / raw.process.median;
        out.targets.push({ workload: wid, size: Number(size), name: `${id === 'vtymux-cli' ? 'exec -d ospfd' : 'exec (-d auto)'} with run record within ${lim}× of the raw floor (whole process)`, value: r, met: r <= lim });
        if (b.cpu && raw.cpu) {
          const c = b.cpu.median / raw.cpu.median;
          out.targets.push({ workload: wid, size: Number(size), name: `${id === 'vtymux-cli' ? 'exec -d ospfd' : 'exec (-d auto)'}: CPU per session within ${CPU_TARGET}× of the raw floor's`, value: c, met: c <= CPU_TARGET });
        }
      }
    }
  }
  for (const st of result.startup ?? []) {
    const lim = STARTUP_TARGET_MS[st.id];
    if (lim && st.ms) out.targets.push({ workload: '-', size: 0, name: `${st.label} under ${lim} ms`, value: st.ms.median, unit: 'ms', met: st.ms.median < lim });
  }
  if (result.sessions?.heldRssKb) {
    const v = result.sessions.heldRssKb.median;
    out.targets.push({ workload: '-', size: result.sessions.runs[0]?.sessions ?? 0, name: '1,000 concurrent sessions under 150 MB RSS', value: v / 1024, unit: 'MB', met: v < 150 * 1024 });
  }
  const rec = result.gather?.sets?.recorded;
  if (rec) {
    out.targets.push({ workload: '-', size: rec.results, name: 'gather 1,000 `show ip ospf neighbor` outputs under 50 ms (1,000 distinct texts)', value: rec.gather.medianMs, unit: 'ms', met: rec.gather.medianMs < 50 });
    const farm = result.gather.sets.farm;
    if (farm) out.targets.push({ workload: '-', size: farm.results, name: 'gather 1,000 `show ip ospf neighbor` outputs under 50 ms (the farm\'s real outputs)', value: farm.gather.medianMs, unit: 'ms', met: farm.gather.medianMs < 50 });
  }
  return out;
}

const cpuPer = (b, size) => (b?.cpu ? b.cpu.median / Number(size) : null);
const perSession = (ms) => (ms === null ? '—' : ms >= 10 ? ms.toFixed(0) : ms.toFixed(2));

/**
 * THE table: every contender as a whole process (start to exit, as a shell runs it) against the
 * raw floor's whole process, measured in the same run, with CPU per session.
 */
export function renderProcessTable(result, { workloads = null, heading = true } = {}) {
  const L = [];
  if (heading) {
    L.push('## Whole process against the raw floor (what a user waits for)', '');
    L.push('Every row is one whole process, started from the shell and waited for (median of the runs), on the same endpoints in the same run; "× floor" divides by the raw floor\'s whole process at that size. CPU is user + system of the process tree (/usr/bin/time) divided by the hosts: ms of CPU per session. ✗: some hosts failed in some run.', '');
  }
  const wids = Object.keys(result.workloads).filter((w) => !workloads || workloads.includes(w));
  const sizes = [...new Set(wids.flatMap((w) => Object.keys(result.workloads[w].sizes)))].sort((a, b) => a - b);
  L.push(`| workload | contender | ${sizes.map((s) => `${s}: s | × floor | CPU ms/session | × floor`).join(' | ')} |`);
  L.push(`|---|---|${sizes.map(() => '--:|--:|--:|--:').join('|')}|`);
  for (const wid of wids) {
    const w = result.workloads[wid];
    for (const [id, label] of PROCESS_ROWS) {
      if (!sizes.some((s) => w.sizes[s]?.[id])) continue;
      const cells = sizes.map((s) => {
        const block = w.sizes[s];
        const b = block?.[id];
        const raw = block?.raw;
        if (!b?.process) return 'not run | | | ';
        const bad = b.allOk ? '' : ' ✗';
        const r = raw?.process ? b.process.median / raw.process.median : null;
        const c = cpuPer(b, s);
        const rc = c !== null && cpuPer(raw, s) ? c / cpuPer(raw, s) : null;
        return `${sec(b.process.median)}${b.process.n < 2 ? ' n=1' : ''}${bad} | ${id === 'raw' ? '1' : x(r)} | ${perSession(c)} | ${id === 'raw' ? '1' : x(rc)}`;
      });
      L.push(`| ${wid} | ${label} | ${cells.join(' | ')} |`);
    }
  }
  return L;
}

export function renderStartup(result) {
  const L = ['## Start-up (no fan-out)', ''];
  L.push(`Median (min–max) of ${result.options.startupRuns} runs, interleaved, whole process; the shell row is the time from exec to the first frame drawn on an 80×24 pseudo-terminal (bench/lib/first-frame.py).`, '');
  L.push('| command | ms | CPU ms | target |', '|---|--:|--:|--:|');
  for (const st of result.startup) {
    const lim = STARTUP_TARGET_MS[st.id];
    L.push(`| ${st.label} | ${st.ms ? `${st.ms.median.toFixed(0)} (${st.ms.min.toFixed(0)}–${st.ms.max.toFixed(0)})` : 'failed'}${st.failed ? ` (${st.failed} failed)` : ''} | ${st.cpuMs ? st.cpuMs.median : '—'} | ${lim ? `< ${lim} ms${st.ms ? (st.ms.median < lim ? ' ✓' : ' ✗') : ''}` : ''} |`);
  }
  return L;
}

export function renderMarkdown(result, notes = '') {
  const L = [];
  const m = result.machine;
  L.push(`# vtymux benchmarks — ${result.date.slice(0, 10)}`, '');
  L.push(`Reproduce: \`${result.command}\` (as root; ${result.options.useFarm ? `on the farm ${result.options.useFarm} that was up, ${result.farm.endpoints} endpoints used` : `it brings its own farm of ${result.farm.endpoints} ospfd up and down`}). Took ${result.durationMin.toFixed(1)} min.`, '');
  if (result.build) L.push(`Build: dist/ of \`${result.build}\` (plus any uncommitted src/ changes in the tree at the time), snapshotted for the whole run.`, '');
  L.push(`Machine: ${m.cpu}, ${m.memoryGiB} GiB, ${m.kernel}; Node ${m.node}; ${m.frr}; ${m.python}, Netmiko ${m.netmiko}; ${m.ansible}; telnet-client ${m.telnetClient}.`);
  L.push(`Load average (1/5/15 min) at start ${result.load.start.join(' / ')}, at end ${result.load.end.join(' / ')} — other work shared the 2 cores, so figures are noisy.`);
  L.push(`Endpoints: the farm '${result.farm.name}', ${result.farm.endpoints} FRR ospfd vty endpoints on ${result.farm.address} (one namespace), up in ${result.farm.upSeconds.toFixed(1)} s; fan-out ${result.options.fanout} for every contender that has one (Ansible: forks = ${result.options.fanout}).`);
  if (result.farm.bigConfig) L.push(`Workload (d): ${result.farm.bigConfig.lines} config lines pasted into every daemon in ${result.farm.bigConfig.seconds.toFixed(1)} s before it (${result.farm.bigConfig.vtyErrors} vty errors), removed after.`);
  L.push('');
  L.push('Times are median (min–max) seconds over the runs. "work" is the fan-out measured inside the process (no interpreter start); "process" is the whole process as started from the shell. Peak memory in MB: the largest of the process\'s maximum RSS and the PSS summed over its process tree (which is what counts for Ansible\'s forks). ✗ marks a contender with hosts that failed.', '');

  L.push(...renderProcessTable(result), '');
  if (result.startup) L.push(...renderStartup(result), '');

  for (const [wid, w] of Object.entries(result.workloads)) {
    const sizes = Object.keys(w.sizes);
    L.push(`## ${w.title}`, '');
    L.push(`Commands per host: ${w.commands.map((c) => `\`${c}\``).join(', ')}`, '');
    L.push(`| contender | ${sizes.map((s) => `${s} hosts: work | process | MB`).join(' | ')} |`);
    L.push(`|---|${sizes.map(() => '--:|--:|--:').join('|')}|`);
    const ids = [...new Set(sizes.flatMap((s) => Object.keys(w.sizes[s])))];
    for (const id of ids) {
      const label = sizes.map((s) => w.sizes[s][id]?.label).find(Boolean);
      const cells = sizes.map((s) => {
        const b = w.sizes[s][id];
        if (!b) return 'not run | | ';
        const fmt = (st) => (st ? `${sec(st.median)} (${sec(st.min)}–${sec(st.max)})${st.n < 2 ? ' n=1' : ''}` : '—');
        const bad = b.allOk ? '' : ' ✗';
        return `${b.basis === 'work' ? fmt(b.work) : '—'}${bad} | ${fmt(b.process)}${bad} | ${mb(b.peakRssKb?.median)}`;
      });
      L.push(`| ${label} | ${cells.join(' | ')} |`);
    }
    L.push('');
    const a = result.analysis.workloads[wid];
    L.push(`| ratio | ${sizes.join(' | ')} |`, `|---|${sizes.map(() => '--:').join('|')}|`);
    L.push(`| vtymux library ÷ raw floor (work) | ${sizes.map((s) => x(a[s].libVsRaw)).join(' | ')} |`);
    L.push(`| vtymux CLI ÷ raw floor (process) | ${sizes.map((s) => x(a[s].cliVsRawProcess)).join(' | ')} |`);
    L.push(`| fastest peer ÷ vtymux library (work) | ${sizes.map((s) => `${x(a[s].bestPeerVsLib)} (${a[s].bestPeer ?? '—'})`).join(' | ')} |`);
    L.push(`| fastest peer ÷ vtymux CLI (process) | ${sizes.map((s) => `${x(a[s].bestPeerProcessVsCli)} (${a[s].bestPeerProcess ?? '—'})`).join(' | ')} |`);
    const per = (peer, vs, basis) =>
      sizes.map((s) => {
        const p = w.sizes[s][peer];
        const v = w.sizes[s][vs];
        if (!p || !v) return '—';
        const pt = basis === 'work' ? p.time : p.process;
        const vt = basis === 'work' ? v.work : v.process;
        return pt && vt ? x(pt.median / vt.median) : '—';
      });
    L.push(`| telnet-client ÷ vtymux library (work) | ${per('telnet-client', 'vtymux-lib', 'work').join(' | ')} |`);
    L.push(`| Netmiko ÷ vtymux library (work) | ${per('netmiko', 'vtymux-lib', 'work').join(' | ')} |`);
    L.push(`| Netmiko ÷ vtymux CLI (process) | ${per('netmiko', 'vtymux-cli', 'process').join(' | ')} |`);
    L.push(`| Ansible ÷ vtymux CLI (process) | ${per('ansible', 'vtymux-cli', 'process').join(' | ')} |`);
    L.push('');
    const fails = sizes.flatMap((s) => Object.entries(w.sizes[s]).flatMap(([id, b]) => (b.allOk ? [] : [`${id} @ ${s}: ${b.runs.map((r) => `${r.okHosts}/${r.hosts} ok`).join(', ')} — ${b.runs.find((r) => r.failures?.length)?.failures?.[0] ?? ''}`])));
    if (fails.length) L.push('Failures:', ...fails.map((f) => `- ${f}`), '');
  }

  L.push('## Targets (issues 7 and 16)', '', '| target | workload | hosts | measured | met |', '|---|---|--:|--:|:-:|');
  for (const t of result.analysis.targets) {
    const v = t.value === null ? '—' : t.unit ? `${t.value.toFixed(t.unit === 'ms' ? 2 : 1)} ${t.unit}` : x(t.value);
    L.push(`| ${t.name} | ${t.workload} | ${t.size} | ${v} | ${t.met === null ? '—' : t.met ? 'yes' : '**no**'} |`);
  }
  L.push('');

  if (result.sessions) {
    const s = result.sessions;
    const r0 = s.runs[0];
    L.push('## Concurrent sessions held open (vtymux library)', '');
    if (r0) {
      L.push(`${r0.sessions} VtyConnections opened at once, each logged in (enable, terminal length 0) and answering one command, then measured: RSS median ${(s.heldRssKb.median / 1024).toFixed(1)} MB (min ${(s.heldRssKb.min / 1024).toFixed(1)}, max ${(s.heldRssKb.max / 1024).toFixed(1)}) over ${s.runs.length} runs; the same process before opening them: ${(r0.baselineRssKb / 1024).toFixed(1)} MB; JS heap in use with them open: ${(r0.heapUsedKb / 1024).toFixed(1)} MB; all open in ${(r0.openMs / 1000).toFixed(2)} s; ready ${r0.ready}, answered ${r0.answered}.`, '');
    } else L.push('failed: no run produced a result', '');
  }

  if (result.gather?.sets) {
    L.push('## Gather and render (in-process, 1,000 results of `show ip ospf neighbor`)', '');
    L.push(`Median of ${result.gather.iterations} iterations after warm-up; "cold" is the first call in a fresh process (what one CLI run pays).`, '');
    L.push('| set | distinct groups | gather ms (cold) | render ms (cold) | render with --diff ms | rendered chars |', '|---|--:|--:|--:|--:|--:|');
    for (const [k, v] of Object.entries(result.gather.sets)) {
      L.push(`| ${k} | ${v.groups} | ${v.gather.medianMs.toFixed(2)} (${v.gather.coldMs.toFixed(1)}) | ${v.render.medianMs.toFixed(2)} (${v.render.coldMs.toFixed(1)}) | ${v.renderDiff.medianMs.toFixed(2)} | ${v.render.chars} |`);
    }
    L.push('', 'farm: the real outputs of the farm\'s ospfd (no neighbours: one shared header). recorded: FRR 8.4.4 outputs recorded from a real adjacency, each host\'s Up/Dead Time different (1,000 distinct texts, the worst case); +normalize masks the timers (what is left differs by neighbour: a few groups).', '');
  }

  const profiled = Object.entries(result.workloads).filter(([, w]) => w.profile);
  if (profiled.length) {
    L.push('## CPU profiles (node --cpu-prof, largest size): top self time', '');
    for (const [wid, w] of profiled) {
      for (const [who, p] of [['vtymux library', w.profile.vtymuxLib], ['vtymux CLI exec', w.profile.vtymuxCli], ['raw floor', w.profile.raw]]) {
        if (!p) continue;
        L.push(`- (${wid}) ${who}, ${w.profile.size} hosts, ${p.totalMs} ms sampled: ${p.top.slice(0, 7).map((t) => `${t.fn.replace(/bench\/\.snapshot-\d+\//, '').slice(0, 90)} ${t.pct}%`).join('; ')}`);
        if (p.byModule && who !== 'raw floor') L.push(`  - by module: ${p.byModule.slice(0, 8).map((t) => `${t.module} ${t.pct}%`).join('; ')}`);
      }
    }
    L.push('');
  }
  if (result.skipped.length) L.push('## Skipped', '', ...result.skipped.map((s) => `- ${s}`), '');
  if (notes.trim()) L.push(notes.trim(), '');
  return L.join('\n');
}
