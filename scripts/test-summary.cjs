// The closing line of scripts/test.sh: adds up the JSON reports of vitest and Playwright in the folder it is given and
// prints "N passed, N failed", after the name of each failure.
const fs = require("fs"), path = require("path");
let passed = 0, failed = 0, skipped = 0;
// The names of what failed, each with why, come last: a CI log is often read from its tail only.
const failures = [];
// Why it failed, in a few lines: where the assertion stood and the head of its message, colours stripped.
// Six lines for Playwright, whose call log follows the message; four for vitest, whose stack frames do.
const why = (message, location, count = 4) => {
  const lines = String(message || "").replace(/\u001b\[[0-9;]*m/g, "").split("\n").map((l) => l.trim()).filter(Boolean).slice(0, count);
  const at = location && location.file ? [`at ${path.relative(process.cwd(), location.file)}:${location.line}`] : [];
  return [...at, ...lines].map((l) => `    ${l.slice(0, 240)}`);
};
const playwrightSpecs = (suite) => [...(suite.specs || []), ...(suite.suites || []).flatMap(playwrightSpecs)];
for (const f of fs.readdirSync(process.argv[2])) {
  let r; try { r = JSON.parse(fs.readFileSync(path.join(process.argv[2], f), "utf8")); } catch { continue; }
  if (r.stats && r.stats.expected !== undefined) { // Playwright
    passed += r.stats.expected; failed += r.stats.unexpected + (r.stats.flaky || 0); skipped += r.stats.skipped;
    for (const spec of (r.suites || []).flatMap(playwrightSpecs))
      for (const t of spec.tests || [])
        if (t.status === "unexpected" || t.status === "flaky") {
          failures.push(`FAILED ${f}: ${spec.file}:${spec.line} ${spec.title} (${t.status})`);
          // Every error of the failed attempt: on a test timeout the first only says so, and the next names the step
          // that was waiting (its locator, its line), which is what tells a hang's cause.
          const result = (t.results || []).find((r) => r.error || (r.errors || []).length);
          const errors = result ? ((result.errors || []).length ? result.errors : [result.error]) : [];
          for (const err of errors.slice(0, 3)) failures.push(...why(err.message, err.location, 6));
        }
  } else {
    passed += r.numPassedTests || 0; failed += r.numFailedTests || 0; skipped += (r.numPendingTests || 0) + (r.numTodoTests || 0);
    for (const file of r.testResults || []) {
      const name = path.relative(process.cwd(), file.name);
      const failedTests = (file.assertionResults || []).filter((a) => a.status === "failed");
      for (const a of failedTests) failures.push(`FAILED ${f}: ${name} > ${a.fullName}`, ...why((a.failureMessages || [])[0]));
      // A file that failed before any test ran (an import error, a failing beforeAll) counts as one failure.
      if (file.status === "failed" && failedTests.length === 0) {
        failed += 1;
        failures.push(`FAILED ${f}: ${name} (${(file.message || "the file failed").split("\n")[0]})`);
      }
    }
  }
}
for (const line of failures) console.log(line);
console.log(`\n${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
