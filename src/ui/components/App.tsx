// The whole screen for one state: header, host panel, output pane, status and input lines. Renders props only.
import { Box, Text } from 'ink';
import { sanitizeLabel } from '../../aggregate/index.js';
import { choiceDaemons, currentMode, hostGroups, hostPanelRows, paneHeight, paneLayout, promptText, selectedHosts, shortLabel } from '../selectors.js';
import { roundLabel } from '../watch.js';
import type { UiState } from '../state.js';
import { HostPanel } from './HostPanel.js';
import { InputLine } from './InputLine.js';
import { OutputPane } from './OutputPane.js';
import { StatusLine } from './StatusLine.js';

const HINT = 'Enter sends · Tab/? help · :help · PgUp/PgDn · ←/→ sideways · / search · Ctrl-C twice quits';

/** Type-ahead waiting behind the running command, or what a failed line kept from being sent. */
function QueueRow({ state }: { state: UiState }) {
  if (state.queue.length > 0) {
    const list = state.queue.map((q) => sanitizeLabel(q.text)).join(' · ');
    return (
      <Text color="cyan" wrap="truncate">
        {`queued (${state.queue.length}, Ctrl-C drops): ${list}`}
      </Text>
    );
  }
  if (state.notSent) {
    const list = state.notSent.lines.map((l) => sanitizeLabel(l)).join(' · ');
    return (
      <Text color="red" wrap="truncate">
        {`not sent (${state.notSent.lines.length}, ${sanitizeLabel(state.notSent.reason)}): ${list}`}
      </Text>
    );
  }
  return null;
}

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
  const toggles = `diff ${state.toggles.diff ? 'on' : 'off'} · normalize ${state.toggles.normalize ? 'on' : 'off'}${state.toggles.wrap ? ' · wrap on' : ''}`;
  const modeNote = mode.mixed ? ` · modes: ${mode.counts.map((c) => `${c.mode} ${c.count}`).join(', ')}` : '';

  const layout = paneLayout(state);
  const total = layout.rows.length;
  const where = [
    total > height ? `lines ${state.scroll + 1}-${Math.min(total, state.scroll + height)} of ${total}` : '',
    state.hscroll > 0 ? `from column ${state.hscroll + 1}` : state.toggles.wrap ? 'wrap' : '',
  ].filter(Boolean).join(' · ');
  const watch = state.watch;
  const title =
    watch !== null
      ? `:watch ${watch.everyMs / 1000} s ${sanitizeLabel(watch.line)}${watch.at !== null ? ` · ${roundLabel(watch.round, watch.at, watch.changed)}` : ' · first round…'}`
      : state.pane.title !== null
        ? sanitizeLabel(state.pane.title)
        : state.lastLines.length
          ? sanitizeLabel(state.lastLines.join('; '))
          : '';
  const paneLabel = [title, where].filter(Boolean).join(' · ');

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
        rows={layout.rows}
        scroll={state.scroll}
        height={height}
        width={width}
        hscroll={state.hscroll}
        gutter={layout.gutter}
        search={state.search.last}
        empty="Type a vty command for every selected host (e.g. show ip ospf neighbor), or :help"
      />
      <Rule width={width} label="" />
      <QueueRow state={state} />
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
