import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { findChromium } from '../../tests/e2e/lib/chromium.mjs';

/** The built Chrome extension a Chromium bench loads: $SHELFMARK_CHROME_EXT, or one built into node_modules/.cache/shelfmark-bench/<cache>. */
export function extensionDir(root: string, cache = 'ext'): string {
  const given = process.env.SHELFMARK_CHROME_EXT;
  if (given) return resolve(given);
  const out = join(root, 'node_modules', '.cache', 'shelfmark-bench', cache);
  console.log('building the extension for this bench…');
  execFileSync(join(root, 'node_modules', '.bin', 'wxt'), ['build'], { cwd: root, env: { ...process.env, SHELFMARK_OUT_DIR: out }, stdio: 'ignore' });
  return join(out, 'chrome-mv3');
}

/** Debian's Chromium (or $CHROMIUM_PATH), as the e2e tests find it. */
export function chromiumPath(): string {
  const p = findChromium();
  if (!p) throw new Error('Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)');
  return p;
}
