import type { ClaimEvidence } from '../match/claims';
import * as z from 'zod/mini';

/**
 * Every message between content scripts / extension pages and the background, as zod schemas:
 * the one definition the background, the extension pages and the listing content script all use.
 * zod/mini (the tree-shakable build of the same zod 4 core) keeps the content script small — it
 * loads on every listing page, and its size is part of how fast a page gets marked.
 * Everything a content script sends was read from a web page, so it crosses a trust boundary:
 * the background parses it here, with size bounds, before touching the database. A malformed
 * or oversized message gets `{ ok: false, error }`, never an exception.
 */

export { sendToBackground, sendToTab } from './transport';

// Extension pages, the service worker and content scripts all run under a CSP without
// 'unsafe-eval': zod's compiled fast path can never run there, and its `new Function` probe would
// only raise CSP violation reports. Parsing takes the interpreted path everywhere.
z.config({ jitless: true });

// Size bounds: generous for real pages (an arXiv "all" listing has ~2000 rows; abstracts are
// ~2 KB), small enough that one message cannot make the background hold megabytes of page text.
export const LIMITS = {
  entriesPerBatch: 5000,
  titleChars: 2000,
  abstractChars: 5000,
  authors: 200,
  authorChars: 300,
  urlChars: 4096,
  idChars: 300,
  tagChars: 100,
  listNameChars: 200,
  noteChars: 100_000,
  paperIdsPerCall: 5000,
  paperIdChars: 64,
  candidates: 5,
} as const;

const text = (max: number) => z.string().check(z.maxLength(max));
const nonEmpty = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const trimmed = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const paperId = nonEmpty(LIMITS.paperIdChars);
const paperIds = z.array(paperId).check(z.minLength(1), z.maxLength(LIMITS.paperIdsPerCall));
const tagName = trimmed(LIMITS.tagChars);
const listName = trimmed(LIMITS.listNameChars);
const listId = nonEmpty(64);

export const PaperIdsSchema = z.strictObject({
  arxiv: z.optional(text(LIMITS.idChars)),
  doi: z.optional(text(LIMITS.idChars)),
  openreview: z.optional(text(LIMITS.idChars)),
  pmid: z.optional(text(LIMITS.idChars)),
});

const eid = z.int().check(z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER));

/** A paper entry as a content script sends it; `eid` numbers the entry within its tab. */
export const EntrySchema = z.strictObject({
  eid,
  title: nonEmpty(LIMITS.titleChars),
  authors: z.optional(z.array(text(LIMITS.authorChars)).check(z.maxLength(LIMITS.authors))),
  ids: PaperIdsSchema,
  url: z.optional(text(LIMITS.urlChars)),
  abstract: z.optional(text(LIMITS.abstractChars)),
});
export type WireEntry = z.infer<typeof EntrySchema>;

const pageUrl = nonEmpty(LIMITS.urlChars);

// ---- requests -------------------------------------------------------------------------------

export const RequestSchema = z.discriminatedUnion('type', [
  /** A batch of entries found on the sender's page; `reset` starts a new page (navigation). */
  z.strictObject({
    type: z.literal('match-batch'),
    pageUrl,
    entries: z.array(EntrySchema).check(z.maxLength(LIMITS.entriesPerBatch)),
    reset: z.optional(z.boolean()),
  }),
  z.strictObject({ type: z.literal('add-tag'), paperIds, tag: tagName }),
  z.strictObject({ type: z.literal('remove-tag'), paperIds, tag: tagName }),
  /** A new list, holding `paperIds` from the start when given (one transaction: no empty list left behind). */
  z.strictObject({ type: z.literal('create-list'), name: listName, paperIds: z.optional(paperIds) }),
  z.strictObject({ type: z.literal('add-to-list'), listId, paperIds }),
  z.strictObject({ type: z.literal('remove-from-list'), listId, paperIds }),
  /** A `maybe` confirmed: the entry is the paper `paperId`. The entry travels with the request so
   *  it does not depend on per-tab state a restarted service worker has lost. */
  z.strictObject({ type: z.literal('confirm-match'), entry: EntrySchema, paperId, pageUrl }),
  z.strictObject({ type: z.literal('reject-match'), entry: EntrySchema, paperId, pageUrl }),
  /** Add the entry to the corpus (origin 'user', provenance: the page). */
  z.strictObject({ type: z.literal('add-paper'), entry: EntrySchema, pageUrl }),
  /** Tags and live lists, for the badge menu's pickers. */
  z.strictObject({ type: z.literal('menu-data') }),
  /** The entries recognized on a tab and their results (popup). Content scripts get their own tab. */
  z.strictObject({ type: z.literal('tab-entries'), tabId: z.optional(z.int().check(z.nonnegative())) }),
  /** An extension page changed user data; wakes the background so page badges refresh. */
  z.strictObject({ type: z.literal('data-changed') }),
  /** Triage (lib/triage): "not interested" in an entry, its undo, and the triage settings. */
  z.strictObject({ type: z.literal('dismiss'), entry: EntrySchema, pageUrl, paperId: z.optional(paperId) }),
  z.strictObject({ type: z.literal('undismiss'), key: nonEmpty(LIMITS.titleChars) }),
  z.strictObject({ type: z.literal('triage-settings') }),
]);
export type Request = z.infer<typeof RequestSchema>;
export type RequestType = Request['type'];
export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;

// ---- results and responses ------------------------------------------------------------------

export interface ListRef {
  id: string;
  name: string;
}

export interface Candidate {
  paperId: string;
  title: string;
  score: number;
}

/** What the background answers for one entry. */
export interface EntryResult {
  eid: number;
  status: 'match' | 'maybe' | 'none';
  paperId?: string;
  candidates?: Candidate[];
  tags: string[];
  lists: ListRef[];
  /** Why a maybe is not a match (shown in the badge's title). */
  reason?: string;
  /** What a match rests on (background only: one page, one claim; learning ids). */
  evidence?: ClaimEvidence;
  /** Triage (lib/triage): earlier page views that showed this paper, and the first of them. */
  seen?: number;
  firstSeen?: { label: string; at: number };
  /** The user said "not interested". */
  dismissed?: boolean;
  /** Suggested tags, best first. */
  suggest?: string[];
}

export interface TabEntry {
  entry: WireEntry;
  result: EntryResult;
}

/** A response with nothing beyond `ok`. */
type Empty = Record<never, never>;

export interface ResponseMap {
  'match-batch': { results: EntryResult[] };
  'add-tag': { tag: string };
  'remove-tag': Empty;
  'create-list': { listId: string };
  'add-to-list': Empty;
  'remove-from-list': Empty;
  'confirm-match': Empty;
  'reject-match': Empty;
  'add-paper': { paperId: string };
  'menu-data': { tags: string[]; lists: ListRef[] };
  'tab-entries': { pageUrl?: string; entries: TabEntry[] };
  'data-changed': Empty;
  dismiss: { key: string };
  undismiss: { undone: boolean };
  'triage-settings': { dismissed: 'dim' | 'hide'; keys: boolean };
}

export type Ok<T extends RequestType> = { ok: true } & ResponseMap[T];
export interface Err {
  ok: false;
  error: string;
}
export type Response<T extends RequestType> = Ok<T> | Err;

/**
 * What went wrong, in words, from the issue's code. zod/mini ships without its English messages
 * (a locale is ~5 KB the content script would carry); these few codes are all our schemas raise.
 */
function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_big':
      return `too ${issue.origin === 'string' || issue.origin === 'array' ? 'long' : 'large'} (at most ${String(issue.maximum)})`;
    case 'too_small':
      return `too ${issue.origin === 'string' || issue.origin === 'array' ? 'short' : 'small'} (at least ${String(issue.minimum)})`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.slice(0, 4).join(', ')}`;
    case 'invalid_union':
      return 'unknown message type';
    case 'invalid_value':
      return `expected one of ${issue.values.slice(0, 6).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** Parses an untrusted message; a readable error message instead of throwing. */
export function parseRequest(raw: unknown): { ok: true; msg: Request } | Err {
  const r = RequestSchema.safeParse(raw);
  if (r.success) return { ok: true, msg: r.data };
  const issue = r.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.slice(0, 4).join('.')}` : '';
  return { ok: false, error: `invalid message${where}: ${issue ? describe(issue) : 'unknown'}` };
}

// ---- background → content script ------------------------------------------------------------

const ListRefSchema = z.object({ id: listId, name: text(LIMITS.listNameChars) });
export const EntryResultSchema = z.object({
  eid,
  status: z.enum(['match', 'maybe', 'none']),
  paperId: z.optional(paperId),
  candidates: z.optional(
    z
      .array(z.object({ paperId, title: text(LIMITS.titleChars), score: z.number() }))
      .check(z.maxLength(LIMITS.candidates)),
  ),
  tags: z.array(text(LIMITS.tagChars)),
  lists: z.array(ListRefSchema),
  reason: z.optional(text(200)),
  seen: z.optional(z.int().check(z.nonnegative())),
  firstSeen: z.optional(z.object({ label: text(200), at: z.number() })),
  dismissed: z.optional(z.boolean()),
  suggest: z.optional(z.array(text(LIMITS.tagChars)).check(z.maxLength(5))),
});

// Content scripts parse these too: cheap, and a bug in the background then cannot break a page.
export const ContentMessageSchema = z.discriminatedUnion('type', [
  /** Updated results for entries of this tab (after a tag, list or corpus change). */
  z.object({ type: z.literal('results'), results: z.array(EntryResultSchema).check(z.maxLength(LIMITS.entriesPerBatch * 4)) }),
  /** The background lost its per-tab state (service worker restart): send every entry again. */
  z.object({ type: z.literal('resync') }),
]);
export type ContentMessage = z.infer<typeof ContentMessageSchema>;

/** Checks a message from the background to a content script; undefined for anything else. */
export function parseContentMessage(raw: unknown): ContentMessage | undefined {
  const r = ContentMessageSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

/** A tab's entries as its content script reports them to a restarted background. */
export const ResyncSchema = z.object({
  pageUrl,
  entries: z.array(EntrySchema).check(z.maxLength(LIMITS.entriesPerBatch * 4)),
});
