import { browser } from 'wxt/browser';
import type { ContentMessage, Ok, RequestOf, RequestType, Response } from './messages';

/**
 * Typed senders for lib/messaging/messages.ts (which re-exports the two basic ones). Imports only
 * types from the schemas module, so a page that only sends carries no zod.
 */

/** Sends one request and answers with its typed response: `sendToBackground`, or a test's stand-in. */
export type Send = <T extends RequestType>(msg: RequestOf<T>) => Promise<Response<T>>;

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

/**
 * The way a page or the content script calls the background when it needs the answer: the
 * successful response, or an Error carrying the background's refusal (`{ ok: false, error }`).
 */
export async function callBackground<T extends RequestType>(msg: RequestOf<T>, send: Send = sendToBackground): Promise<Ok<T>> {
  const r = await send(msg);
  if (!r.ok) throw new Error(r.error);
  return r as Ok<T>;
}
