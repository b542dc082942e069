// Many small pieces of text written as few writes, big pieces as they are.

/** Pieces below this are joined before writing; a piece this big or bigger goes out alone. */
export const COALESCE_AT = 64 * 1024;

/**
 * A writer that joins small pieces (a group header, a short output) up to `size` characters and
 * passes big ones (a running-config) straight on, in order: each write to a pipe is a system
 * call, and joining a big piece would copy it once more. Call `end()` to write what is held.
 */
export function coalesce(write: (text: string) => void, size = COALESCE_AT): { push(text: string): void; end(): void } {
  let held: string[] = [];
  let length = 0;
  const flush = () => {
    if (length === 0) return;
    write(held.length === 1 ? held[0]! : held.join(''));
    held = [];
    length = 0;
  };
  return {
    push(text: string) {
      if (text.length === 0) return;
      if (text.length >= size) {
        flush();
        write(text);
        return;
      }
      held.push(text);
      length += text.length;
      if (length >= size) flush();
    },
    end: flush,
  };
}
