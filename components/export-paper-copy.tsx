// The per-paper copy buttons stand in the paper's detail, far from the export menu; their own file.
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Paper } from '@/lib/model/types';
import { paperBibtex, paperMarkdownLink } from '@/lib/export';
import { copyText } from './export-menu';

export interface ExportPaperCopyProps {
  paper: Paper;
  /** The paper's tags, carried in the BibTeX keywords. */
  tags?: string[];
}

/** Per-paper copy buttons: its BibTeX entry and a Markdown link. */
export function ExportPaperCopy({ paper, tags = [] }: ExportPaperCopyProps): JSX.Element {
  const [status, setStatus] = useState('');
  async function copy(what: 'bibtex' | 'markdown'): Promise<void> {
    try {
      await copyText(what === 'bibtex' ? paperBibtex(paper, tags) : paperMarkdownLink(paper));
      setStatus(what === 'bibtex' ? 'BibTeX copied' : 'Link copied');
    } catch (e) {
      setStatus(e instanceof Error ? e.message : String(e));
    }
  }
  return (
    <span class="export-paper-copy">
      <button type="button" title="Copy this paper's BibTeX entry" onClick={() => void copy('bibtex')}>
        Copy BibTeX
      </button>{' '}
      <button type="button" title="Copy a Markdown link to this paper" onClick={() => void copy('markdown')}>
        Copy Markdown link
      </button>
      <span class="export-paper-copy-status" role="status" aria-live="polite">
        {status}
      </span>
    </span>
  );
}
