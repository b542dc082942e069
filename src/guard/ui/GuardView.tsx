// The guard's live view: one block per service (header, routers' next hops, hosts folded by state
// with check latency, what blocks or runs), then the last events. Renders props only.
import { Box, Text } from 'ink';
import { sanitizeLabel } from '../../aggregate/sanitize.js';
import type { GuardEvent } from '../journal.js';
import type { ViewState } from '../planner.js';
import type { ServiceView } from './rows.js';
import { VIEW_LABEL } from './rows.js';

const COLOR: Record<ViewState, string> = {
  alert: 'red',
  floor: 'red',
  unreachable: 'magenta',
  failing: 'yellow',
  recovering: 'cyan',
  drained: 'blue',
  held: 'gray',
  other: 'gray',
  'not-routed': 'magenta',
  waiting: 'gray',
  healthy: 'green',
};

export interface GuardViewProps {
  services: ServiceView[];
  events: GuardEvent[];
  width: number;
}

const ms = (v: number | null) => (v === null ? '' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`);

function ServiceBlock({ v, width }: { v: ServiceView; width: number }) {
  return (
    <Box flexDirection="column" marginBottom={1} width={width}>
      <Text bold wrap="truncate">{sanitizeLabel(v.header)}</Text>
      {v.routers.map((r) => (
        <Text key={r} dimColor wrap="truncate">  next hops {sanitizeLabel(r)}</Text>
      ))}
      {v.rows.map((r) => (
        <Text key={r.state} wrap="truncate">
          <Text color={COLOR[r.state]}>{`  ${VIEW_LABEL[r.state].padEnd(26)} ${String(r.count).padStart(3)}  `}</Text>
          <Text>{sanitizeLabel(r.label)}</Text>
          <Text dimColor>{r.p50Ms !== null ? `  check ${ms(r.p50Ms)} (max ${ms(r.maxMs)})` : ''}{r.note ? `  - ${sanitizeLabel(r.note)}` : ''}</Text>
        </Text>
      ))}
      {v.inFlight ? <Text color="cyan" wrap="truncate">  ▶ {sanitizeLabel(v.inFlight)}</Text> : null}
      {v.notices.map((n) => (
        <Text key={n} color={n.startsWith('floor') || n.startsWith('alert') ? 'red' : 'gray'} wrap="truncate">  ! {sanitizeLabel(n)}</Text>
      ))}
    </Box>
  );
}

export function GuardView({ services, events, width }: GuardViewProps) {
  return (
    <Box flexDirection="column" width={width}>
      {services.map((v) => (
        <ServiceBlock key={v.service} v={v} width={width} />
      ))}
      <Text bold>last events</Text>
      {events.length === 0 ? <Text dimColor>  (none yet)</Text> : null}
      {events.map((e, i) => (
        <Text key={`${e.time}-${i}`} wrap="truncate" dimColor={e.event === 'next-hops'}>
          {`  ${e.time.slice(11, 19)} ${(e.service ?? '-').padEnd(8)} ${(e.host ?? '-').padEnd(8)} ${e.event.padEnd(14)} `}
          {sanitizeLabel(e.reason)}
        </Text>
      ))}
      <Text dimColor>Ctrl-C or SIGTERM ends the guard and leaves routing as it is; SIGHUP reloads the config</Text>
    </Box>
  );
}
