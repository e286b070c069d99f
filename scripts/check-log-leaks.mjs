#!/usr/bin/env node
// The log-leak check: searches a test run's log (DOST_TEST_LOG_FILE, argument 1) for every
// personal value the test factories created (DOST_TEST_PII_FILE, argument 2: one value a line,
// raw, lower case and percent-encoded). A value counts only as a whole token, so a FIN-shaped
// run inside a request id does not. Prints the leaked values with a line that holds each, and
// exits 1 when there is any.
import { existsSync, readFileSync } from 'node:fs';

const [logPath = process.env.DOST_TEST_LOG_FILE, piiPath = process.env.DOST_TEST_PII_FILE] = process.argv.slice(2);
if (!logPath || !piiPath) {
  process.stderr.write('usage: check-log-leaks.mjs <log file> <personal values file>\n');
  process.exit(2);
}
const log = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
const values = existsSync(piiPath) ? [...new Set(readFileSync(piiPath, 'utf8').split('\n').filter((v) => v.length >= 4))] : [];
const lines = log.split('\n');
if (values.length > 0 && log.trim() === '') {
  process.stdout.write(`log-leak check: ${values.length} personal values noted but no log was captured in ${logPath}: the check would prove nothing\n`);
  process.exit(1);
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const leaks = [];
for (const v of values) {
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${escape(v)}(?![\\p{L}\\p{N}])`, 'u');
  if (!re.test(log)) continue;
  leaks.push({ value: v, line: lines.find((l) => re.test(l))?.slice(0, 400) });
}
process.stdout.write(`log-leak check: ${values.length} personal values searched in ${lines.length - 1} log lines, ${leaks.length} found\n`);
for (const l of leaks) process.stdout.write(`  LEAK ${JSON.stringify(l.value)} in: ${l.line}\n`);
process.exit(leaks.length > 0 ? 1 : 0);
