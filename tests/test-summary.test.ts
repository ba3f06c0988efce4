import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';

// The reports below keep only the fields the summary reads, in the shapes vitest's and Playwright's JSON reporters write.
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function summary(reports: Record<string, unknown>): string {
  dir = mkdtempSync(path.join(tmpdir(), 'test-summary-'));
  for (const [name, report] of Object.entries(reports)) writeFileSync(path.join(dir, name), JSON.stringify(report));
  return execFileSync(process.execPath, ['scripts/test-summary.cjs', dir], { encoding: 'utf8' });
}

test('names every failure and why, vitest and Playwright alike, before the counts', () => {
  const out = summary({
    'unit.json': {
      numPassedTests: 3,
      numFailedTests: 1,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [
        {
          name: path.join(process.cwd(), 'lib/a.test.ts'),
          status: 'failed',
          assertionResults: [
            { fullName: 'a works', status: 'passed' },
            { fullName: 'a fails', status: 'failed', failureMessages: ['AssertionError: expected 1 to be 2\n    at lib/a.test.ts:9:3\n    at runner.js:1:1\n    at runner.js:2:2\n    at runner.js:3:3'] },
          ],
        },
        { name: path.join(process.cwd(), 'lib/b.test.ts'), status: 'failed', message: 'Cannot find module x\nstack', assertionResults: [] },
      ],
    },
    'e2e.json': {
      stats: { expected: 5, unexpected: 2, flaky: 1, skipped: 0 },
      suites: [
        {
          specs: [],
          suites: [
            {
              specs: [
                { file: 'vm.spec.ts', line: 7, title: 'starts', tests: [{ status: 'expected' }] },
                {
                  file: 'vm.spec.ts',
                  line: 20,
                  title: 'stops',
                  tests: [
                    {
                      status: 'unexpected',
                      results: [
                        {
                          error: {
                            message: '\u001b[31mError: expect(locator).toHaveCount(expected) failed\u001b[39m\n\nLocator: row\nExpected: 0\nReceived: 1\nTimeout: 90000ms\nCall log: …',
                            location: { file: path.join(process.cwd(), 'e2e/vm.spec.ts'), line: 31, column: 5 },
                          },
                        },
                      ],
                    },
                  ],
                },
                {
                  // A timeout's first error only says so; the next names the step that was waiting.
                  file: 'vm.spec.ts',
                  line: 22,
                  title: 'hangs',
                  tests: [
                    {
                      status: 'unexpected',
                      results: [
                        {
                          error: { message: 'Test timeout of 240000ms exceeded.' },
                          errors: [
                            { message: 'Test timeout of 240000ms exceeded.' },
                            {
                              message: "Error: locator.click: Test timeout of 240000ms exceeded.\nCall log:\n  - waiting for getByTestId('action-start')\n",
                              location: { file: path.join(process.cwd(), 'e2e/vm.spec.ts'), line: 25, column: 3 },
                            },
                          ],
                        },
                      ],
                    },
                  ],
                },
                { file: 'vm.spec.ts', line: 40, title: 'pauses', tests: [{ status: 'flaky' }] },
              ],
            },
          ],
        },
      ],
    },
    'not-json.txt': 'garbage',
  });
  expect(out.trim().split('\n')).toEqual([
    'FAILED e2e.json: vm.spec.ts:20 stops (unexpected)',
    '    at e2e/vm.spec.ts:31',
    '    Error: expect(locator).toHaveCount(expected) failed',
    '    Locator: row',
    '    Expected: 0',
    '    Received: 1',
    '    Timeout: 90000ms',
    '    Call log: …',
    'FAILED e2e.json: vm.spec.ts:22 hangs (unexpected)',
    '    Test timeout of 240000ms exceeded.',
    '    at e2e/vm.spec.ts:25',
    "    Error: locator.click: Test timeout of 240000ms exceeded.",
    '    Call log:',
    "    - waiting for getByTestId('action-start')",
    'FAILED e2e.json: vm.spec.ts:40 pauses (flaky)',
    'FAILED unit.json: lib/a.test.ts > a fails',
    '    AssertionError: expected 1 to be 2',
    '    at lib/a.test.ts:9:3',
    '    at runner.js:1:1',
    '    at runner.js:2:2',
    'FAILED unit.json: lib/b.test.ts (Cannot find module x)',
    '',
    '8 passed, 5 failed',
  ]);
});

test('a clean run prints the counts alone', () => {
  const out = summary({ 'unit.json': { numPassedTests: 2, numFailedTests: 0, numPendingTests: 1, testResults: [] } });
  expect(out.trim()).toBe('2 passed, 0 failed, 1 skipped');
});
