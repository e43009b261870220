/**
 * Title normalization: turns the many renderings of one title (case, Unicode, LaTeX/MathJax,
 * HTML entities, hyphens, page badges, version tags, truncation, highlighting markup) into
 * lower-case words and one space-less key.
 *
 * The key has no spaces on purpose: "post training", "post-training" and "posttraining" are one
 * title. Every rule is pinned by tests/normalize.test.ts; stored keys depend on it, so a change
 * here means re-keying the corpus (the papers' `key` column and the persisted match index).
 */

export interface NormalizedTitle {
  /** Words of the title after normalization, lower-case ASCII where possible. */
  words: string[];
  /** words.join(''): the exact-match key. */
  key: string;
  /** The title was cut short on the page ("…", "..."). */
  truncated: boolean;
}

// Page badges and labels in front of a title: "Title:", Google Scholar's "[PDF]", "[HTML]",
// "[CITATION][C]", "[BOOK][B]". Stripped repeatedly, since Scholar stacks them.
const PREFIX =
  /^\s*(?:\[(?:pdf|html|citation|book|b|c|ps|doc|docx|zip|pptx?)\]\s*|(?:title|original article|article|paper)\s*[:：]\s*)/i;
// Scholar and other lists cut long titles with an ellipsis.
const TRUNCATION = /\s*(?:…|\.\s?\.\s?\.[.\s]*|⋯)\s*$/;
// A trailing version tag ("… v2", "(v3)", "[v1]", as arXiv prints them). Needs whitespace before
// it so "MobileNetV2" stays, and a lower-case v: "MobileNet V2" / "V3" are names of two papers.
const VERSION = /\s+[([]?v\d{1,2}[)\]]?\s*$/;
// Markup leftovers of query-term highlighting (Scholar's <b>, <em>, <mark>) and sub/superscripts.
const TAGS = /<\/?(?:b|i|em|strong|mark|span|sup|sub|u|small|font)\b[^<>]*>/gi;
const ENTITY = /&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi;
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', minus: '−', shy: '', thinsp: ' ', ensp: ' ', emsp: ' ',
  times: '×', alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', lambda: 'λ', mu: 'μ', pi: 'π',
  sigma: 'σ', tau: 'τ', phi: 'φ', omega: 'ω', theta: 'θ', rho: 'ρ', eta: 'η', kappa: 'κ', zeta: 'ζ', xi: 'ξ', psi: 'ψ', chi: 'χ', nu: 'ν',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é', egrave: 'è', aacute: 'á', iacute: 'í', oacute: 'ó', uacute: 'ú', ntilde: 'ñ', ccedil: 'ç',
};

const GREEK_NAMES = [
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu',
  'nu', 'xi', 'omicron', 'pi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega',
];
// Greek letters (lower and upper case, and LaTeX's var- forms) are spelled out so that "$\pi_0$",
// "π0" and "pi0" agree.
const GREEK = new Map<string, string>();
{
  const lower = 'αβγδεζηθικλμνξοπρστυφχψω';
  const upper = 'ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ';
  for (let i = 0; i < GREEK_NAMES.length; i++) {
    GREEK.set(lower[i]!, GREEK_NAMES[i]!);
    GREEK.set(upper[i]!, GREEK_NAMES[i]!);
  }
  GREEK.set('ς', 'sigma');
  GREEK.set('ϵ', 'epsilon');
  GREEK.set('ϑ', 'theta');
  GREEK.set('ϕ', 'phi');
  GREEK.set('ϱ', 'rho');
  GREEK.set('ϖ', 'pi');
}
const LATEX_GREEK = new RegExp(`\\\\(?:var)?(${GREEK_NAMES.join('|')})(?![a-z])`, 'gi');
// Accent commands: \"u, \"{u}, \'{e}, \c{c} keep their letter.
const LATEX_ACCENT = /\\[`'^"~=.uvHcdbrk]\s*\{?\s*([a-z])\s*\}?/gi;
// Any other command (\textbf, \mathrm, \emph, \em, \it, \cal…) goes; its {argument} stays.
const LATEX_COMMAND = /\\[a-z]+\*?\s*/gi;
// Letters NFKD does not decompose.
const FOLD: Record<string, string> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd',
  ð: 'd', Ð: 'd', þ: 'th', Þ: 'th', ı: 'i', ĸ: 'k', ŋ: 'n', Ŋ: 'n',
};
const FOLD_RE = /[ßẞæÆœŒøØłŁđĐðÐþÞıĸŋŊ]/g;
// Joiners: hyphens and dashes, apostrophes and underscores vanish without a space (pre-training =
// pretraining, Pretrainer's = Pretrainers). So do the math leftovers $ ^ { } (R$_ρ$ = Rρ, x^{2} = x2).
const JOINERS = /['’‘ʼ`´‐‑‒–—―−_\-$^{}\u00ad\u200b\u2060]|\u200c|\u200d/g;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
const SPLIT_UNICODE = /[^\p{L}\p{N}]+/u;
const PREFIX_START = /^\s*(?:title|original|article|paper)/i;

// Any character outside printable ASCII, or one of & < \ $ [ { ^ _.
const SPECIAL = /[^ -~]|[&<\\$[{^_]/;
// Ends in ".", ")", "]" or a digit.
const SPECIAL_END = /[.)\]\d]\s*$/;

/**
 * Fast path test: most titles are plain ASCII with nothing to decode, strip or cut. Anything
 * that might need the slow rules (non-ASCII, markup, LaTeX, a badge, a title ending in ".", ")",
 * "]" or a digit, which may be an ellipsis or a version tag) takes the full path.
 */
function needsWork(s: string): boolean {
  // Regular expressions run as native code from the first call: this runs for every entry of a
  // page, often right after a cold start, before any JavaScript loop would be optimized.
  return SPECIAL.test(s) || SPECIAL_END.test(s) || (PREFIX_START.test(s) && PREFIX.test(s));
}

function decodeEntities(s: string): string {
  return s.replace(ENTITY, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

function foldUnicode(s: string): string {
  s = s.normalize('NFKD').replace(/\p{M}/gu, '');
  s = s.replace(FOLD_RE, (c) => FOLD[c] ?? c);
  // Spell Greek letters out, as separate words unless glued to other letters (π0 → pi0).
  let out = '';
  for (const ch of s) out += GREEK.get(ch) ?? ch;
  return out;
}

const SPLIT_ASCII = /[^a-z0-9]+/;

export function normalizeTitle(raw: string): NormalizedTitle {
  let s = typeof raw === 'string' ? raw : '';
  let truncated = false;
  if (needsWork(s)) {
    if (s.includes('&')) s = decodeEntities(s);
    if (s.includes('<')) s = s.replace(TAGS, '');
    let prev: string;
    do {
      prev = s;
      s = s.replace(PREFIX, '');
    } while (s !== prev);
    if (TRUNCATION.test(s)) {
      truncated = true;
      s = s.replace(TRUNCATION, '');
    }
    s = s.replace(VERSION, '');
    if (s.includes('\\')) {
      s = s
        .replace(/\\&/g, ' and ')
        .replace(/\\[()[\]]/g, ' ')
        .replace(LATEX_GREEK, (_m, name: string) => name.toLowerCase())
        .replace(LATEX_ACCENT, '$1')
        .replace(LATEX_COMMAND, '');
    }
  }
  const words: string[] = [];
  if (NON_ASCII.test(s)) {
    s = foldUnicode(s).toLowerCase().replace(/&/g, ' and ').replace(JOINERS, '');
    for (const w of s.split(SPLIT_UNICODE)) if (w) words.push(w);
  } else {
    s = s.toLowerCase();
    if (s.includes('&')) s = s.replace(/&/g, ' and ');
    for (const w of s.replace(JOINERS, '').split(SPLIT_ASCII)) if (w) words.push(w);
  }
  return { words, key: words.join(''), truncated };
}

export function titleKey(raw: string): string {
  return normalizeTitle(raw).key;
}
