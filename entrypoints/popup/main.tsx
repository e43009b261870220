import { render } from 'preact';
import { browser } from 'wxt/browser';
import { getDb } from '@/lib/storage/db';
import { PopupApp } from './app';
import '@/components/styles.css';
import './popup.css';

/**
 * The tab to show: `?tab=<id>` when the popup is opened as a page (tests, or "open in a tab"),
 * else the active tab of the current window.
 */
async function targetTab(): Promise<number | undefined> {
  const raw = new URLSearchParams(location.search).get('tab');
  if (raw !== null) {
    const n = Number(raw);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  }
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

/** The shortcut the user (or the manifest default) bound to opening the popup, if any. */
async function popupShortcut(): Promise<string | undefined> {
  try {
    const cmds = await browser.commands.getAll();
    const c = cmds.find((x) => x.name === '_execute_action' || x.name === '_execute_browser_action');
    return c?.shortcut || undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  const [tabId, shortcut] = await Promise.all([targetTab(), popupShortcut()]);
  render(<PopupApp db={getDb()} tabId={tabId} shortcut={shortcut} />, root);
}

void main();
