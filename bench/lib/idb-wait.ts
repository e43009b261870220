import type { Page, Worker } from 'playwright-core';

/**
 * Polls `check` (a page.evaluate that awaits its promise) until it resolves true. Not
 * page.waitForFunction: that one takes a returned promise itself as a truthy answer.
 */
export async function untilTrue(check: () => Promise<boolean>, timeoutMs: number, intervalMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Rows in `store` of the extension's database, counted inside an extension page or worker (0 when unreachable). */
export function storeCount(where: Page | Worker, store: string): Promise<number> {
  return where
    .evaluate(
      (name) =>
        new Promise<number>((res, rej) => {
          const open = indexedDB.open('shelfmark');
          open.onerror = () => rej(open.error);
          open.onsuccess = () => {
            const req = open.result.transaction(name).objectStore(name).count();
            req.onsuccess = () => {
              open.result.close();
              res(req.result);
            };
            req.onerror = () => rej(req.error);
          };
        }),
      store,
    )
    .catch(() => 0);
}
