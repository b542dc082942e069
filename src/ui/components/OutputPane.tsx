// Output pane: a window of `height` lines of the gathered view (or help text), search hits highlighted.
import { Box, Text } from 'ink';
import type { LineStyle, PaneLine } from '../view-lines.js';

export interface OutputPaneProps {
  lines: PaneLine[];
  scroll: number;
  height: number;
  width: number;
  /** Highlighted in every visible line. */
  search: string;
  empty: string;
}

type Look = { color?: string; bold?: boolean; dimColor?: boolean };
const LOOK: Record<LineStyle, Look> = {
  title: { color: 'cyan', bold: true },
  same: { color: 'green' },
  differs: { color: 'yellow' },
  fail: { color: 'red', bold: true },
  total: { bold: true },
  note: { dimColor: true },
  plain: {},
  add: { color: 'green' },
  del: { color: 'red' },
  help: {},
};

function Highlighted({ text, query }: { text: string; query: string }) {
  if (query === '') return <>{text}</>;
  const parts: Array<{ t: string; hit: boolean }> = [];
  const lower = text.toLowerCase();
  const q = query.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(q); i !== -1; i = lower.indexOf(q, at)) {
    if (i > at) parts.push({ t: text.slice(at, i), hit: false });
    parts.push({ t: text.slice(i, i + q.length), hit: true });
    at = i + q.length;
  }
  if (at < text.length) parts.push({ t: text.slice(at), hit: false });
  return (
    <>
      {parts.map((p, i) =>
        p.hit ? (
          <Text key={i} inverse>
            {p.t}
          </Text>
        ) : (
          p.t
        ),
      )}
    </>
  );
}

export function OutputPane({ lines, scroll, height, width, search, empty }: OutputPaneProps) {
  const visible = lines.slice(scroll, scroll + height);
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      {lines.length === 0 ? <Text dimColor>{empty}</Text> : null}
      {visible.map((l, i) => (
        <Text key={scroll + i} wrap="truncate" {...LOOK[l.style]}>
          {/* ink drops empty Text nodes; a space keeps the row */}
          {l.text === '' ? ' ' : <Highlighted text={l.text} query={search} />}
        </Text>
      ))}
    </Box>
  );
}
