import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSeedCorpus, parseCorpusAsset } from './lib/corpus/corpus';

import { SUPPORTED_MATCHES } from './lib/sites/hosts';

// Hosts of the listing pages Shelfmark recognizes out of the box live in lib/sites/hosts.ts
// (one list for the host permissions and the content script matches). Everything else is
// opt-in per site through optional host permissions (the generic adapter, lib/sites/permissions.ts).
export { LISTING_HOSTS, SCHOLAR_HOSTS, SUPPORTED_MATCHES } from './lib/sites/hosts';

// Pages of the extension run only its own packaged scripts: no remote code, no eval, no plugins.
const EXTENSION_PAGES_CSP = "script-src 'self'; object-src 'self'; base-uri 'self'; form-action 'none'; frame-ancestors 'none';";
// The generic fallback may run on any site, but only where the user granted that site.
const OPTIONAL_ORIGINS = ['https://*/*', 'http://*/*'];

// lodash.merge (a dependency of @retorquere/bibtex-parser) finds the global object with
// Function('return this')(): an eval, which the CSP above forbids and AMO's linter flags
// (DANGEROUS_EVAL). globalThis is that same object, so the bundle carries no eval at all.
const noFunctionEval: Plugin = {
  name: 'shelfmark-no-function-eval',
  transform(code, id) {
    if (!id.includes('node_modules') || !code.includes('return this')) return null;
    const out = code.replace(/\bFunction\(\s*(['"])return this\1\s*\)\(\)/g, 'globalThis');
    return out === code ? null : { code: out, map: null };
  },
};

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // Separate output folders let several builds (tests, demo, bench) run side by side.
  outDir: process.env.SHELFMARK_OUT_DIR ?? '.output',
  // Workers are bundled separately (the BibTeX reader carries the parser, hence lodash): same rule.
  vite: () => ({ plugins: [preact(), noFunctionEval], worker: { plugins: () => [noFunctionEval] } }),
  hooks: {
    // The seed corpus ships as a generated public asset, rebuilt from seeds/*.txt on every
    // build so the dumps stay the single source. It is validated twice: by the builder's zod
    // schema and by re-parsing the exact JSON text that ships.
    'build:publicAssets': (wxt, files) => {
      const dir = resolve(wxt.config.root, 'seeds');
      const seedFiles = readdirSync(dir)
        .filter((f) => f.endsWith('.txt'))
        .map((name) => ({ name, text: readFileSync(resolve(dir, name), 'utf8') }));
      const built = buildSeedCorpus(seedFiles);
      for (const p of built.problems) {
        wxt.logger.warn(`seeds/${p.source}:${p.line}: ${p.reason}: ${p.text.slice(0, 80)}`);
      }
      const contents = JSON.stringify(built.asset);
      parseCorpusAsset(JSON.parse(contents));
      wxt.logger.info(
        `corpus.json: ${built.entryCount} entries from ${seedFiles.length} files -> ${built.papers.length} papers (${built.asset.version})`,
      );
      files.push({ relativeDest: 'corpus.json', contents });
      // Read on every background start to decide cheaply whether an import is needed.
      files.push({ relativeDest: 'corpus-version.json', contents: JSON.stringify({ version: built.asset.version }) });
    },
    // The benchmark page (entrypoints/bench/, `npm run bench`) ships only in bench builds.
    'entrypoints:resolved': (_wxt, entrypoints) => {
      if (process.env.SHELFMARK_BENCH === '1') return;
      const i = entrypoints.findIndex((e) => e.name === 'bench');
      if (i >= 0) entrypoints.splice(i, 1);
    },
  },
  zip: {
    // AMO's sources zip: the code that builds the extension, not our captured test pages.
    excludeSources: ['tests/fixtures/**', '.output/**', 'bench-results/**', 'demo-output/**'],
  },
  // Function form keeps the gecko keys out of the Chrome manifest.
  manifest: ({ browser, manifestVersion }) => ({
    name: 'Shelfmark',
    description:
      'Marks every paper on listing pages (arXiv, Hugging Face, Scholar, OpenReview, DBLP…) with whether it is in your local corpus, its tags and reading lists.',
    // Every permission is listed with its reason in the README. IndexedDB needs none.
    // activeTab: the popup may read the current tab's address (to offer "enable on this site")
    // without broad access. scripting (MV3 only): register the listing script on sites the
    // user granted (Firefox MV2 does that with contentScripts.register, no permission needed).
    // alarms: the daily local backup (lib/storage/auto-backup.ts). storage: storage.session, the "not saved"
    // record the popup shows when a write fails (lib/storage/storage-guard.ts), and storage.sync for the
    // opt-in browser sync (lib/sync/; Firefox needs the gecko id below for it).
    permissions: manifestVersion === 3 ? ['activeTab', 'scripting', 'alarms', 'storage'] : ['activeTab', 'alarms', 'storage'],
    host_permissions: [...SUPPORTED_MATCHES],
    // MV3 names optional origins separately; Firefox MV2 lists them with optional_permissions.
    ...(manifestVersion === 3
      ? { optional_host_permissions: OPTIONAL_ORIGINS }
      : { optional_permissions: OPTIONAL_ORIGINS }),
    // WXT turns the object into the MV2 string form for Firefox MV2 builds.
    content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
    // The documented shortcut that opens the popup (users can rebind it in the browser's
    // extension shortcuts page). Firefox MV2 names the command after browser_action.
    commands: {
      [manifestVersion === 3 ? '_execute_action' : '_execute_browser_action']: {
        suggested_key: { default: 'Alt+Shift+S' },
        description: 'Open the Shelfmark popup',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'shelfmark@shelfmark.dev',
              // data_collection_permissions needs Firefox 140 (desktop) / 142 (Android).
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
