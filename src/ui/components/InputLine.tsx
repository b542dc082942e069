// Input line: the vty-like prompt (marked when modes differ) and the edited text with its cursor.
import { Text } from 'ink';

export interface InputLineProps {
  prompt: string;
  mixed: boolean;
  text: string;
  cursor: number;
  /** A hidden prompt: nothing typed is shown, not even its length. */
  hidden: boolean;
  width: number;
}

export function InputLine({ prompt, mixed, text, cursor, hidden, width }: InputLineProps) {
  const shown = hidden ? '' : text;
  const at = hidden ? 0 : Math.min(cursor, shown.length);
  // Keep the cursor visible on long lines by scrolling the text, not the prompt.
  const room = Math.max(10, width - prompt.length - 1);
  const start = Math.max(0, at - room + 1);
  const view = shown.slice(start, start + room);
  const c = at - start;
  return (
    <Text wrap="truncate">
      <Text color={mixed ? 'yellow' : 'green'} bold>
        {prompt}
      </Text>
      {view.slice(0, c)}
      <Text inverse>{view[c] ?? ' '}</Text>
      {view.slice(c + 1)}
    </Text>
  );
}
