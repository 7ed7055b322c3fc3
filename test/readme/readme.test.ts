import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/temp-project.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** Every ```ts block, with whether the line before it marks it as a fragment. */
function typeScriptBlocks(): { code: string; fragment: boolean; line: number }[] {
  const blocks: { code: string; fragment: boolean; line: number }[] = [];
  const lines = README.split('\n');
  for (let index = 0; index < lines.length; index++) {
    if (lines[index] !== '```ts') continue;
    const end = lines.indexOf('```', index + 1);
    blocks.push({
      code: lines.slice(index + 1, end).join('\n'),
      fragment: lines[index - 1]?.trim() === '<!-- fragment -->',
      line: index + 1,
    });
    index = end;
  }
  return blocks;
}

describe('README.md stays true', () => {
  // Inside the repo, so 'herald' and 'inversify' resolve as they do for the playground.
  const dir = join(REPO_ROOT, '.readme-check');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every TypeScript block that is not marked <!-- fragment --> compiles under the strict tsconfig', () => {
    const blocks = typeScriptBlocks().filter((block) => !block.fragment);
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    blocks.forEach((block, index) => {
      writeFileSync(join(dir, `block-${index}-line-${block.line}.ts`), `${block.code}\nexport {};\n`);
    });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true }, include: ['*.ts'] }),
    );
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    expect(output).toBe('');
    // One tsc run over every block: 15-25 s on a loaded 2-core machine, past the 20 s default.
  }, 90_000);

  it('the "Testing your app" example is the code that test/unit/testing/readme-examples.test.ts runs', () => {
    const tested = readFileSync(join(REPO_ROOT, 'test/unit/testing/readme-examples.test.ts'), 'utf8')
      .split('\n')
      .slice(1)
      .join('\n')
      .trim();
    const headingLine = README.split('\n').indexOf('## Testing your app') + 1;
    const block = typeScriptBlocks().find((candidate) => candidate.line > headingLine);
    expect(block?.code.trim()).toBe(tested);
  });

  it('names the two set-up commands, and they exist in package.json', () => {
    expect(README).toContain('npm install && npm run playground');
    expect(README).toContain('npm test ');
    const scripts = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    for (const script of ['playground', 'test', 'bench:dispatch', 'bench:queue', 'build'])
      expect(scripts[script]).toBeDefined();
  });
});
