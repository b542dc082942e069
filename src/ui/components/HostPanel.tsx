// Host panel: sessions grouped by daemon, state and mode under folded host sets (a few rows even for 500 hosts).
import { Box, Text } from 'ink';
import { sanitizeLabel } from '../../aggregate/index.js';
import type { HostGroup } from '../selectors.js';

export interface HostPanelProps {
  groups: HostGroup[];
  rows: number;
  width: number;
  showDaemon: boolean;
  /** True when the live sessions are not all in one mode. */
  mixed: boolean;
}

const ICON: Record<string, string> = { ready: '●', busy: '◐', connecting: '○', idle: '·' };
const COLOR: Record<string, string> = { ready: 'green', busy: 'yellow', connecting: 'cyan', idle: 'gray' };

function GroupRow({ g, showDaemon, mixed, width }: { g: HostGroup; showDaemon: boolean; mixed: boolean; width: number }) {
  const color = g.failed ? 'red' : (COLOR[g.state] ?? 'white');
  const icon = g.failed ? '✗' : (ICON[g.state] ?? '·');
  const mode = g.mode ? (mixed ? `${g.mode}!` : g.mode) : '';
  const head = `${showDaemon ? `${g.daemon.padEnd(6)} ` : ''}${g.state.padEnd(11)} ${mode.padEnd(14)} ${String(g.hosts.length).padStart(4)}  `;
  const tail = g.error ? ` - ${sanitizeLabel(g.error)}` : '';
  return (
    <Box width={width}>
      <Text wrap="truncate">
        <Text color={color}>{icon} </Text>
        <Text color={color}>{head}</Text>
        <Text>{sanitizeLabel(g.label)}</Text>
        <Text dimColor>{tail}</Text>
      </Text>
    </Box>
  );
}

export function HostPanel({ groups, rows, width, showDaemon, mixed }: HostPanelProps) {
  if (groups.length === 0) {
    return (
      <Box height={rows}>
        <Text dimColor>no sessions selected</Text>
      </Box>
    );
  }
  const overflow = groups.length > rows;
  const shown = overflow ? groups.slice(0, rows - 1) : groups;
  const hidden = overflow ? groups.slice(rows - 1) : [];
  const hiddenHosts = hidden.reduce((n, g) => n + g.hosts.length, 0);
  return (
    <Box flexDirection="column" height={rows}>
      {shown.map((g) => (
        <GroupRow key={`${g.daemon}|${g.state}|${g.mode ?? ''}|${g.error ?? ''}`} g={g} showDaemon={showDaemon} mixed={mixed} width={width} />
      ))}
      {overflow ? (
        <Text dimColor wrap="truncate">
          … {hidden.length} more group{hidden.length === 1 ? '' : 's'} ({hiddenHosts} session{hiddenHosts === 1 ? '' : 's'}): {hidden.map((g) => g.state).join(', ')}
        </Text>
      ) : null}
    </Box>
  );
}
