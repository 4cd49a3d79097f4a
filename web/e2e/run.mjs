// `npm run e2e`: runs every e2e script in turn (login, inbox, inventory, photos, parser, miniapp, scenarios, notifications, account, triage, contacts, campaigns, calendar, Telegram accounts, B2B, the dashboard's figures, then i18n: every page in a pseudo-locale and in Ukrainian), passes
// their output through, and ends with ONE line `N passed, M failed` for all
// of them. Exits 1 if any check failed or a script died without its summary.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SCRIPTS = ['login.e2e.mjs', 'inbox.e2e.mjs', 'inventory.e2e.mjs', 'photos.e2e.mjs', 'parser.e2e.mjs', 'miniapp.e2e.mjs', 'scenarios.e2e.mjs', 'notifications.e2e.mjs', 'account.e2e.mjs', 'triage.e2e.mjs', 'contacts.e2e.mjs', 'campaigns.e2e.mjs', 'calendar.e2e.mjs', 'tgaccounts.e2e.mjs', 'b2b.e2e.mjs', 'dashboard.e2e.mjs', 'i18n.e2e.mjs'];
const SUMMARY = /^(\d+) passed, (\d+) failed$/;

function run(script) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, script)], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let counts = null;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = SUMMARY.exec(line.trim());
      if (m) {
        counts = { passed: Number(m[1]), failed: Number(m[2]) };
        // Keep the only `N passed, M failed` line the total one.
        console.log(`# ${script}: ${counts.passed} ok, ${counts.failed} not ok`);
      } else {
        console.log(line);
      }
    });
    child.on('close', (code) => {
      if (!counts) {
        console.log(`FAIL - ${script}: ended (exit ${code}) without a summary`);
        counts = { passed: 0, failed: 1 };
      } else if (code !== 0 && counts.failed === 0) {
        console.log(`FAIL - ${script}: exited with ${code}`);
        counts.failed = 1;
      }
      resolve(counts);
    });
  });
}

let passed = 0;
let failed = 0;
for (const script of SCRIPTS) {
  console.log(`# ${script}`);
  const c = await run(script);
  passed += c.passed;
  failed += c.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
