/** Words a page may add or drop without changing which paper a title names. */
export const STOP_WORDS = new Set([
  'a', 'an', 'the', 'and', 'of', 'for', 'in', 'on', 'to', 'with', 'via', 'by', 'from', 'at', 'as', 'or', 'is', 'its', 'into',
]);
