// Reads README.md the way readme-examples.test.ts runs it: every line of a fenced ```sh block is a
// lab example (blocks marked ```sh not-lab are about a real fleet and are skipped), and a fenced
// block whose info string names a file (```yaml guard.yaml) is that file's content for the examples.
// Quick start's block is not an example: it is `bash scripts/demo.sh` and `bash scripts/test.sh`.

export interface ReadmeExample {
  /** The line as written, comment included: what a person copies and what the shell runs. */
  line: string;
  /** 1-based line number in README.md, for messages. */
  lineNo: number;
  /** The README's section heading the example sits under. */
  section: string;
  /** The exit code its comment documents (`exit N`), else 0. */
  exit: number;
}

export interface ReadmeExamples {
  examples: ReadmeExample[];
  /** file name -> content, from blocks like ```yaml guard.yaml */
  files: Map<string, string>;
}

const FENCE = /^```(\S*)(?:\s+(\S+))?\s*$/;

export function readmeExamples(markdown: string): ReadmeExamples {
  const examples: ReadmeExample[] = [];
  const files = new Map<string, string>();
  const lines = markdown.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (/^#{1,6} /.test(text)) section = text.replace(/^#+ /, '');
    const fence = FENCE.exec(text);
    if (!fence || fence[1] === '') continue;
    const [, lang, extra] = fence;
    const body: { text: string; lineNo: number }[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push({ text: lines[i]!, lineNo: i + 1 });
    // Quick start's two lines are the demo and the whole test suite (this test among them)
    if (lang === 'sh' && extra === undefined && section !== 'Quick start') {
      for (const b of body) {
        if (b.text.trim() === '' || b.text.trimStart().startsWith('#')) continue;
        const documented = /#.*\bexit (\d+)\b/.exec(b.text);
        examples.push({ line: b.text, lineNo: b.lineNo, section, exit: documented ? Number(documented[1]) : 0 });
      }
    } else if (extra !== undefined && extra !== 'not-lab' && /^[\w.-]+\.\w+$/.test(extra)) {
      files.set(extra, `${body.map((b) => b.text).join('\n')}\n`);
    }
  }
  return { examples, files };
}
