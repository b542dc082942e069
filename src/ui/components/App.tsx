// The whole screen for one state: header, host panel, output pane, status and input lines. Renders props only.
import { Box, Text } from 'ink';
import { sanitizeLabel } from '../../aggregate/index.js';
import { choiceDaemons, currentMode, hostGroups, hostPanelRows, paneHeight, promptText, selectedHosts, shortLabel } from '../selectors.js';
import type { UiState } from '../state.js';
import { HostPanel } from './HostPanel.js';
import { InputLine } from './InputLine.js';
import { OutputPane } from './OutputPane.js';
import { StatusLine } from './StatusLine.js';

const HINT = 'Enter sends · Tab/? catalog help · :help · PgUp/PgDn · / search · Ctrl-C twice quits';

function Rule({ width, label }: { width: number; label: string }) {
  const text = label ? `── ${label} ` : '';
  return (
    <Text dimColor wrap="truncate">
      {text + '─'.repeat(Math.max(0, width - text.length))}
    </Text>
  );
}

export function App({ state }: { state: UiState }) {
  const { width } = state;
  const groups = hostGroups(state);
  const rows = hostPanelRows(state, groups.length);
  const height = paneHeight(state, groups.length);
  const mode = currentMode(state);
  const prompt = promptText(state);
  const hosts = selectedHosts(state);
  const daemons = choiceDaemons(state);

  const target = state.focus !== null ? `focus ${sanitizeLabel(state.focus)} (:focus returns)` : `${shortLabel(hosts, Math.max(16, Math.floor(width / 3)))} (${hosts.length})`;
  const toggles = `diff ${state.toggles.diff ? 'on' : 'off'} · normalize ${state.toggles.normalize ? 'on' : 'off'}`;
  const modeNote = mode.mixed ? ` · modes: ${mode.counts.map((c) => `${c.mode} ${c.count}`).join(', ')}` : '';

  const total = state.pane.lines.length;
  const paneLabel =
    state.pane.title !== null
      ? sanitizeLabel(state.pane.title)
      : state.lastLines.length
        ? `${sanitizeLabel(state.lastLines.join('; '))}${total > height ? ` · lines ${state.scroll + 1}-${Math.min(total, state.scroll + height)} of ${total}` : ''}`
        : '';

  return (
    <Box flexDirection="column" width={width} height={state.height}>
      <Text wrap="truncate">
        <Text bold color="cyan">
          vtymux
        </Text>
        <Text>
          {' '}
          {target} · daemon {state.daemon === 'auto' || state.daemon === 'all' ? `${state.daemon} (${daemons.join(',')})` : state.daemon}
        </Text>
        {/* what needs attention goes first: at 80 columns the tail is cut */}
        {state.recording ? <Text color="red" bold>{` ● REC ${state.recording.name}`}</Text> : null}
        {mode.mixed ? <Text color="yellow">{modeNote}</Text> : null}
        <Text> · {toggles}</Text>
      </Text>
      <HostPanel groups={groups} rows={rows} width={width} showDaemon={daemons.length > 1} mixed={mode.mixed} />
      <Rule width={width} label={paneLabel} />
      <OutputPane
        lines={state.pane.lines}
        scroll={state.scroll}
        height={height}
        width={width}
        search={state.search.last}
        empty="Type a vty command for every selected host (e.g. show ip ospf neighbor), or :help"
      />
      <Rule width={width} label="" />
      <StatusLine run={state.run} confirm={state.confirm?.question ?? null} message={state.message} hint={HINT} />
      <InputLine
        prompt={prompt.text}
        mixed={prompt.mixed}
        text={state.search.active ? state.search.query : state.input.text}
        cursor={state.search.active ? state.search.query.length : state.input.cursor}
        hidden={state.secret !== null}
        width={width}
      />
    </Box>
  );
}
