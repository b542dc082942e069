// A tiny external store around the pure reducer, so the controller reads the current state synchronously and React subscribes to it.
import { reducer } from './reducer.js';
import type { Action, UiState } from './state.js';

export interface Store {
  getState(): UiState;
  dispatch(action: Action): void;
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: UiState): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
