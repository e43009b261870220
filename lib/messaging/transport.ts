import { browser } from 'wxt/browser';
import type { ContentMessage, RequestOf, RequestType, Response } from './messages';

/**
 * Typed senders for lib/messages.ts (which re-exports them): kept apart so the schemas module
 * and the transport stay separate. Imports only types from lib/messages.ts.
 */

/** Sends a request to the background and returns its typed response; transport failures become errors. */
export async function sendToBackground<T extends RequestType>(msg: RequestOf<T>): Promise<Response<T>> {
  try {
    const res = (await browser.runtime.sendMessage(msg)) as Response<T> | undefined;
    if (!res || typeof res !== 'object') return { ok: false, error: 'no response from the background' };
    return res;
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Sends a message to a tab's content script; a tab without one (or closed) is not an error. */
export async function sendToTab(tabId: number, msg: ContentMessage): Promise<unknown> {
  try {
    return await browser.tabs.sendMessage(tabId, msg);
  } catch {
    return undefined;
  }
}
