// The README's command blocks, read as the test of them runs them (see readme-blocks.test.ts for the convention).
import { spawn } from 'node:child_process';

export interface ReadmeBlock {
  /** The `##`/`###` heading the block is under: blocks of one section share one shell session. */
  section: string;
  /** Fence language: `bash` blocks run, `sh` (and every other) do not. */
  lang: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
  text: string;
}

/** Every fenced block of a Markdown text, with the `##`/`###` section it is in (a `####` heading stays in its section). */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  let section = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^(#{2,3}) (.+)$/.exec(lines[i]!);
    if (heading) section = heading[2]!;
    const fence = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`README.md:${start + 1}: the block never ends`);
    blocks.push({ section, lang: fence[1] ?? '', line: start + 1, text: body.join('\n') });
  }
  return blocks;
}

/** The runnable blocks grouped by section, in README order. */
export function runnableSections(blocks: ReadmeBlock[]): { section: string; blocks: ReadmeBlock[] }[] {
  const sections: { section: string; blocks: ReadmeBlock[] }[] = [];
  for (const block of blocks.filter((b) => b.lang === 'bash')) {
    const last = sections.at(-1);
    if (last?.section === block.section) last.blocks.push(block);
    else sections.push({ section: block.section, blocks: [block] });
  }
  return sections;
}

const MARK = '@@readme-block@@';

export interface BlockRun {
  block: ReadmeBlock;
  output: string;
}

/**
 * Runs a section's blocks in order in one `bash -euo pipefail` session (as a reader pastes them into one shell),
 * each bounded by `timeoutMs`. Resolves with each block's output (stdout and stderr, interleaved); rejects naming the
 * block that failed or timed out, with its output.
 */
export async function runSection(blocks: ReadmeBlock[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<BlockRun[]> {
  // A marker line before each block tells whose output follows; the shell ends at the first failing command.
  const script = blocks.map((b, i) => `printf '\\n${MARK}%s\\n' ${i}\n${b.text}\n`).join('') + `printf '\\n${MARK}end\\n'\n`;
  const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let current = -1;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  };
  const take = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    const seen = [...output.matchAll(new RegExp(`${MARK}(\\d+)`, 'g'))].length - 1;
    if (seen !== current) {
      current = seen;
      arm(); // each block gets its own time
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  arm();
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (c, s) => resolve({ code: c, signal: s })),
  );
  clearTimeout(timer);
  const parts = output.split(new RegExp(`\\n?${MARK}`));
  const runs: BlockRun[] = [];
  for (const part of parts.slice(1)) {
    const newline = part.indexOf('\n');
    const id = part.slice(0, newline === -1 ? undefined : newline);
    if (id === 'end') break;
    runs.push({ block: blocks[Number(id)]!, output: newline === -1 ? '' : part.slice(newline + 1) });
  }
  if (code !== 0) {
    const failed = runs.at(-1);
    const why = signal === 'SIGKILL' ? `did not finish within ${options.timeoutMs / 1000} s` : `exited with ${code ?? signal}`;
    throw new Error(
      failed
        ? `README.md:${failed.block.line} (section "${failed.block.section}") ${why}:\n${failed.block.text}\n--- its output ---\n${failed.output}`
        : `the section's shell ${why}:\n${output}`,
    );
  }
  return runs;
}
