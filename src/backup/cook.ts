// "Cooked" running-configs: volatile lines (headers, version banners, `!` runs) removed and
// secrets masked, so a stored config changes only when the configuration does.
import data from './volatile.json' with { type: 'json' };
import { redactSecrets } from '../protocol/redact.js';

const DROP = data.dropLines.map((r) => ({ name: r.name, re: new RegExp(r.regex) }));

/** The examples of volatile.json, for its test. */
export const COOK_EXAMPLES: ReadonlyArray<{ name: string; in: string; out: string }> = data.examples;

/**
 * Cooks one `show running-config` reply. `secrets` are the passwords this run used: masked
 * wherever they appear, on top of the pattern rules (`password …`, OSPF keys).
 */
export function cookConfig(text: string, secrets: readonly string[] = []): string {
  const lines = redactSecrets(text.replace(/\r\n?/g, '\n'), secrets)
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => !DROP.some((d) => d.re.test(l)));
  const out: string[] = [];
  for (const l of lines) {
    if (l === '' && (out.length === 0 || out[out.length - 1] === '' || out[out.length - 1] === '!')) continue;
    if (l === '!' && (out.length === 0 || out[out.length - 1] === '!')) continue;
    out.push(l);
  }
  while (out.length > 0 && (out[out.length - 1] === '' || out[out.length - 1] === '!')) out.pop();
  return out.length ? `${out.join('\n')}\n` : '';
}
