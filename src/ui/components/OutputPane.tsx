// Output pane: a window of `height` rows of the gathered view (or help text), scrolled down and sideways, search hits highlighted.
import { Box, Text } from 'ink';
import type { DisplayRow } from '../selectors.js';
import { isPinned, type LineStyle } from '../view-lines.js';
import { gutterOf, type ChangeMark } from '../watch.js';

export interface OutputPaneProps {
  rows: DisplayRow[];
  scroll: number;
  height: number;
  width: number;
  /** Columns scrolled to the right: body rows shift, header rows (pinned) stay put. */
  hscroll: number;
  /** Columns in front of each row for `:watch` change marks (0: none). */
  gutter: number;
  /** Highlighted in every visible line. */
  search: string;
  empty: string;
}

const MARK_COLOR: Record<ChangeMark, string> = { added: 'green', removed: 'red', changed: 'yellow' };

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

export function OutputPane({ rows, scroll, height, width, hscroll, gutter, search, empty }: OutputPaneProps) {
  const visible = rows.slice(scroll, scroll + height);
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      {rows.length === 0 ? <Text dimColor>{empty}</Text> : null}
      {visible.map((r, i) => {
        const shifted = hscroll > 0 && !isPinned(r.style);
        // A shifted row starts with ‹ so a cut line never passes for a whole one.
        const text = shifted ? (r.text.length > hscroll ? `‹${r.text.slice(hscroll + 1)}` : '') : r.text;
        return (
          <Text key={scroll + i} wrap="truncate">
            {gutter > 0 ? <Text color={r.mark ? MARK_COLOR[r.mark] : undefined} bold>{gutterOf(r.mark)}</Text> : null}
            <Text {...LOOK[r.style]}>{/* ink drops empty Text nodes; a space keeps the row */}
              {text === '' ? ' ' : <Highlighted text={text} query={search} />}
            </Text>
          </Text>
        );
      })}
    </Box>
  );
}
