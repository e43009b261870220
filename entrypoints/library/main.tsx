import { render } from 'preact';
import { getDb } from '@/lib/storage/db';
import { LibraryExport } from '@/components/library-export';
import { ImportDialog } from '@/components/import-dialog';
import { LibraryApp } from './app';
import '@/components/styles.css';
import './library.css';

const root = document.getElementById('app');
if (root) render(<LibraryApp db={getDb()} exchange={{ Export: LibraryExport, Import: ImportDialog }} />, root);
