/**
 * Resolves after the next two frames have painted, or after 100 ms when frames do not come (a
 * hidden page, tests): work that would delay the first paint starts after it.
 */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const done = setTimeout(resolve, 100);
    if (typeof requestAnimationFrame !== 'function') return;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        clearTimeout(done);
        setTimeout(resolve, 0);
      }),
    );
  });
}
