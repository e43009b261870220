// The real lib/ code, bundled for evaluation in extension pages: their CSP forbids injected
// <script> tags, so specs bundle an entry with esbuild and hand the text to page.evaluate().
import { build } from 'esbuild';
import { join } from 'node:path';
import { ROOT } from './chromium.mjs';

// wxt/browser resolves to the polyfill in the real build; pages evaluated here have chrome.* natively.
const CHROME_AS_BROWSER = {
  name: 'wxt-browser',
  setup(b) {
    b.onResolve({ filter: /^wxt\/browser$/ }, () => ({ path: 'wxt-browser', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export const browser = globalThis.chrome;', loader: 'js' }));
  },
};

/**
 * One script (IIFE) from `contents`, TypeScript that imports from the repo root ('./lib/db', '@/…').
 * `chromeAsBrowser`: resolve `wxt/browser` to the page's own chrome.* (for code that imports it).
 */
export async function bundleForPage(contents, { sourcefile = 'e2e-entry.ts', chromeAsBrowser = false } = {}) {
  const out = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    alias: { '@': ROOT },
    plugins: chromeAsBrowser ? [CHROME_AS_BROWSER] : [],
  });
  return out.outputFiles[0].text;
}

/**
 * A TypeScript module of the repo (e.g. 'lib/model/rng.ts'), bundled with esbuild and imported
 * into this Node process, so a spec uses the project's own code instead of a copy of it.
 */
export async function importTs(path) {
  const out = await build({ entryPoints: [join(ROOT, path)], bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, logLevel: 'silent', alias: { '@': ROOT } });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

/** Opens each extension page of `paths` (e.g. 'library.html') in a new tab and evaluates `code` in it. */
export async function openExtensionPages(ext, paths, code) {
  const pages = [];
  for (const path of paths) {
    const p = await ext.context.newPage();
    await p.goto(ext.extensionUrl(path));
    await p.evaluate(code);
    pages.push(p);
  }
  return pages;
}
