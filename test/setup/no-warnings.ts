/**
 * Every Node warning printed while a test runs fails that test (or the next one, for warnings raised later,
 * such as a FileHandle closed on garbage collection): a warning is a bug we have not found yet.
 */
import { afterAll, afterEach, expect } from 'vitest';

const seen: string[] = [];
process.on('warning', (warning) => {
  const test = expect.getState().currentTestName ?? 'between tests';
  seen.push(`${warning.name}: ${warning.message} (during: ${test})`);
});

function assertNoWarnings(): void {
  if (seen.length === 0) return;
  const warnings = seen.splice(0);
  throw new Error(`Node printed ${warnings.length} warning(s):\n${warnings.join('\n')}`);
}

afterEach(async () => {
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 5));
  assertNoWarnings();
});
afterAll(async () => {
  // Let finalizers of the last test run, so a leaked file handle is reported here and not lost.
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assertNoWarnings();
});
