/** The dependency direction is enforced by the lint: each forbidden import below fails it, each allowed one passes. */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return result!.messages
    .filter((m) => m.ruleId === 'import-x/no-restricted-paths' || m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

const imports = (spec: string) => `import * as x from '${spec}';\nexport default x;\n`;

describe('import boundaries (npm run lint)', () => {
  it.each([
    ['shared/example.ts', '../server/config', 'shared/ knows nothing'],
    ['shared/desk/example.ts', '../../bot/answers/cards', 'shared/ knows nothing'],
    ['shared/example.ts', '../devtenant/testkit', 'shared/ knows nothing'],
    ['bot/answers/example.ts', '../../server/compose', 'bot/ may use shared/ only'],
    ['bot/answers/example.ts', 'botbuilder', 'Only bot/teams/ knows'],
    ['bot/understanding/example.ts', '@microsoft/teams-ai', 'Only bot/teams/ knows'],
    ['tab/src/example.ts', '../../bot/answers/cards', 'tab/ is browser code'],
    ['tab/src/example.ts', '../../shared/delegateDesk', 'browser-safe part only'],
    ['tab/src/example.ts', '../../shared', 'browser-safe part only'],
    ['server/example.ts', '../devtenant/testkit', 'never imports the dev tenant'],
    ['server/http/example.ts', '../../tests/support/desk', 'never imports the dev tenant or test code'],
  ])('%s may not import %s', async (file, spec, message) => {
    const found = await problems(file, imports(spec));
    expect(found.join('\n')).toContain(message);
  });

  it.each([
    ['server/example.ts', '../bot/teams/botApp'],
    ['server/example.ts', '../shared'],
    ['bot/teams/example.ts', 'botbuilder'],
    ['bot/answers/example.ts', '../../shared'],
    ['tab/src/example.ts', '../../shared/domain/delegationView'],
    ['tab/src/example.ts', '../../shared/api'],
    ['shared/desk/example.ts', '../graph/client'],
    ['shared/example.test.ts', '../devtenant/testkit'],
  ])('%s may import %s', async (file, spec) => {
    expect(await problems(file, imports(spec))).toEqual([]);
  });
});
