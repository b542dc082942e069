// The container: owns the store subscription, the fleet bridge, terminal size and key handling; renders <App>.
import { useApp, useInput, useStdout } from 'ink';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { App } from './components/App.js';
import { useFleetBridge } from './bridge.js';
import type { ShellController } from './controller.js';
import type { ShellFleetLike } from './fleet.js';
import { keyAction, type KeyAction } from './keymap.js';
import { isUnbracketedPaste, PasteCollector, splitPaste } from './paste.js';
import type { UiState } from './state.js';
import type { Store } from './store.js';

export interface ShellProps {
  store: Store;
  controller: ShellController;
  fleet: ShellFleetLike;
  /** Follow the terminal's size (off in component tests, which fix 80x24). */
  trackSize?: boolean;
  /** Turn the terminal's bracketed paste on while the shell runs (default: with trackSize). */
  bracketedPaste?: boolean;
}

export function Shell({ store, controller, fleet, trackSize = true, bracketedPaste = trackSize }: ShellProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { exit } = useApp();
  const { stdout } = useStdout();
  useFleetBridge(fleet, store.dispatch);

  useEffect(() => {
    if (!trackSize) return;
    // One row short of the terminal: a full-height frame makes ink clear the screen on every render.
    const onResize = () => store.dispatch({ type: 'resize', width: stdout.columns || 80, height: Math.max(10, (stdout.rows || 24) - 1) });
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, store, trackSize]);

  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);

  useEffect(() => {
    if (!bracketedPaste) return;
    // Ask the terminal to frame pastes (ESC[200~ … ESC[201~), and to stop asking when we leave.
    const off = () => stdout.write('\u001b[?2004l');
    stdout.write('\u001b[?2004h');
    process.once('exit', off);
    return () => {
      process.removeListener('exit', off);
      off();
    };
  }, [stdout, bracketedPaste]);

  const paste = useRef(new PasteCollector());

  const context = (s: UiState) => ({
    empty: s.input.text === '' && !s.search.active && !s.secret && !s.historySearch,
    edit: !s.secret && !s.search.active && !s.historySearch && !s.input.text.startsWith(':'),
  });
  const perform = (action: KeyAction): void => {
    const d = store.dispatch;
    const hs = store.getState().historySearch;
    if (hs) {
      // Inside Ctrl-R: Esc/Ctrl-G cancel, Ctrl-R goes older, Enter runs, editing keys keep the line.
      if (action === 'escape') return d({ type: 'history-search-cancel' });
      if (action !== 'history-search' && action !== 'submit' && action !== 'interrupt' && action !== 'backspace' && action !== 'eof') d({ type: 'history-search-accept' });
    }
    switch (action) {
      case 'interrupt':
        return controller.interrupt();
      case 'eof':
        return controller.eof();
      case 'submit':
        return controller.submit();
      case 'complete':
        return controller.complete();
      case 'help':
        return controller.help();
      case 'history-prev':
        return d({ type: 'history-prev' });
      case 'history-next':
        return d({ type: 'history-next' });
      case 'history-search':
        return d({ type: 'history-search' });
      case 'page-up':
        return d({ type: 'scroll', by: 'page-up' });
      case 'page-down':
        return d({ type: 'scroll', by: 'page-down' });
      case 'search':
        return d({ type: 'search-start' });
      case 'escape':
        return controller.escape();
      case 'left':
        return d({ type: 'move', to: 'left' });
      case 'right':
        return d({ type: 'move', to: 'right' });
      case 'home':
        return d({ type: 'move', to: 'home' });
      case 'end':
        return d({ type: 'move', to: 'end' });
      case 'kill-line':
        return d({ type: 'kill', what: 'line' });
      case 'kill-word':
        return d({ type: 'kill', what: 'word' });
      case 'kill-end':
        return d({ type: 'kill', what: 'end' });
      case 'backspace':
        return d({ type: 'backspace' });
      case 'scroll-left':
        return d({ type: 'hscroll', by: 'left' });
      case 'scroll-right':
        return d({ type: 'hscroll', by: 'right' });
      case 'scroll-page-left':
        return d({ type: 'hscroll', by: 'page-left' });
      case 'scroll-page-right':
        return d({ type: 'hscroll', by: 'page-right' });
      case 'scroll-home':
        return d({ type: 'hscroll', by: 'home' });
      case 'scroll-end':
        return d({ type: 'hscroll', by: 'end' });
    }
  };

  useInput((input, key) => {
    const s = store.getState();
    if (s.quit) return;
    const framed = paste.current.feed(input, key);
    if (framed === 'consumed') return;
    if (framed !== 'pass') {
      if (s.secret) {
        // A hidden prompt takes the first pasted line, never more.
        store.dispatch({ type: 'insert', text: splitPaste(framed.text + '\n').lines[0] ?? '' });
        return;
      }
      return controller.paste(framed.text);
    }
    if (s.watch) {
      // Any key ends a watch (like watch(1) with q, or Ctrl-C); the key does nothing else.
      controller.stopWatch();
      return;
    }
    if (s.confirm) {
      if (key.ctrl && input === 'c') controller.interrupt();
      else controller.answer(input === 'y' || input === 'Y');
      return;
    }
    const action = keyAction(input, key, context(s));
    if (action !== null) return perform(action);
    if (key.ctrl || key.meta || input === '') return;
    // Several lines in one chunk: a paste without bracketing (tmux paste-buffer without -p).
    if (isUnbracketedPaste(input) && !s.secret && !s.search.active) return controller.paste(input);
    // A fast `send-keys` arrives as one chunk too: its control characters are still keys.
    let text = '';
    const flush = () => {
      if (text !== '') store.dispatch({ type: 'insert', text });
      text = '';
    };
    for (const ch of input) {
      const code = ch.charCodeAt(0);
      const printable = code >= 0x20 && code !== 0x7f;
      const cur = store.getState();
      const ctx = context({ ...cur, input: { text: cur.input.text + text, cursor: cur.input.cursor + text.length } });
      const a = printable
        ? keyAction(ch, { ...key, ctrl: false }, ctx)
        : ch === '\r' || ch === '\n'
          ? 'submit'
          : ch === '\t'
            ? 'complete'
            : code === 0x7f || code === 0x08
              ? 'backspace'
              : code < 0x20
                ? keyAction(String.fromCharCode(code + 0x60), { ...key, ctrl: true }, ctx)
                : null;
      if (a === null) {
        if (printable) text += ch;
        continue;
      }
      flush();
      perform(a);
    }
    flush();
  });

  return <App state={state} />;
}
