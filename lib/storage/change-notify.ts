import { Dexie } from 'dexie';
import { sendToBackground } from '../messaging/transport';

/**
 * Wakes the background when an extension page (popup, library) changes what page badges show.
 *
 * The background learns of writes from Dexie's change events, which other pages deliver over
 * BroadcastChannel — but a stopped MV3 service worker receives no BroadcastChannel message.
 * So pages also send a small `data-changed` message (it starts the worker, which then
 * re-matches the open tabs and pushes what changed). The background itself does not install
 * this: it hears its own writes directly.
 */

const WATCHED = ['papers', 'paperTags', 'listItems', 'lists', 'tags', 'meta'];
let installed = false;
let isBackground = false;

/** Called by the background before it opens the database. */
export function markBackgroundContext(): void {
  isBackground = true;
}

/** Whether this is an extension page (popup, library), as opposed to a web page or a test. */
function inExtensionPage(): boolean {
  const protocol = globalThis.location?.protocol;
  return protocol === 'chrome-extension:' || protocol === 'moz-extension:' || protocol === 'safari-web-extension:';
}

export function installWakeOnChange(dbName: string, delayMs = 150, force = false): void {
  if (installed || isBackground || !(force || inExtensionPage())) return;
  installed = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  Dexie.on('storagemutated', (parts: Record<string, unknown>) => {
    const touched = Object.keys(parts).some((k) => WATCHED.some((t) => k.startsWith(`idb://${dbName}/${t}/`)));
    if (!touched || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      // No receiver (the extension reloading) or no extension runtime: nothing worth reporting.
      void sendToBackground({ type: 'data-changed' });
    }, delayMs);
  });
}
