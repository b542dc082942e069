// Status line: progress of a running broadcast, a y/N question, or the last message / a key hint.
import { Text } from 'ink';
import type { Message, RunState } from '../state.js';

export interface StatusLineProps {
  run: RunState | null;
  confirm: string | null;
  message: Message | null;
  hint: string;
}

const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

export function progressText(run: RunState): string {
  const elapsed = Math.max(0, run.now - run.startedAt);
  const frame = FRAMES[Math.floor(elapsed / 100) % FRAMES.length];
  const hosts = `${run.hostCount} host${run.hostCount === 1 ? '' : 's'}`;
  return `${frame} ${run.answered} of ${run.expected} answered (${hosts}) · ${(elapsed / 1000).toFixed(1)} s · Ctrl-C cancels`;
}

const COLORS: Record<Message['kind'], string> = { info: 'white', warn: 'yellow', error: 'red' };

export function StatusLine({ run, confirm, message, hint }: StatusLineProps) {
  if (confirm !== null)
    return (
      <Text color="yellow" bold wrap="truncate">
        {confirm}
      </Text>
    );
  if (run !== null)
    return (
      <Text color="cyan" wrap="truncate">
        {progressText(run)}
      </Text>
    );
  if (message !== null)
    return (
      <Text color={COLORS[message.kind]} wrap="truncate">
        {message.text}
      </Text>
    );
  return (
    <Text dimColor wrap="truncate">
      {hint}
    </Text>
  );
}
