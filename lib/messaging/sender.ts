import type { RequestType } from './messages';

/**
 * The sender policy of the background's message channel: who is talking (established from the
 * browser's MessageSender, never from the message) and which requests each kind of sender may make.
 */

/** Who sent a message, as established by index.ts from the browser's MessageSender. */
export type Sender =
  | { kind: 'content'; tabId: number; url?: string }
  | { kind: 'page'; url?: string };

/** The parts of the browser's MessageSender that decide who is talking. */
export interface RawSender {
  id?: string;
  url?: string;
  tab?: { id?: number };
}

/**
 * Accepts only this extension: its own pages (popup, library; even when open in a tab) and its
 * content scripts in tabs. Anything else — another extension, a sender without a tab that is not
 * one of our pages — is refused (undefined).
 */
export function classifySender(s: RawSender, runtimeId: string, extensionOrigin: string): Sender | undefined {
  // `!s`: a missing sender (never from a conforming browser) is refused, not dereferenced.
  if (!runtimeId || !s || s.id !== runtimeId) return undefined;
  if (s.url?.startsWith(extensionOrigin)) return { kind: 'page', url: s.url };
  if (s.tab?.id !== undefined && s.tab.id >= 0) return { kind: 'content', tabId: s.tab.id, url: s.url };
  return undefined;
}

/** Which senders may send which messages. */
export function allowed(type: RequestType, sender: Sender): boolean {
  if (type === 'match-batch') return sender.kind === 'content';
  if (type === 'data-changed') return sender.kind === 'page';
  return true;
}

