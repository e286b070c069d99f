import { useEffect } from 'react';

/** Sets the document title, so each page is announced and distinguishable in history. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · DOST` : 'DOST';
  }, [title]);
}
