// Types the browser files (web/) use but do not define; checked by `tsc` (make test).

/** recovery_core.view.browser_texts, written in by sitebuild/inject.py. */
interface BrowserTexts {
  ui: Record<string, string>;
  steps: Record<string, any>;
  ticks: any[];
  [key: string]: any;
}

/** Material for MkDocs' observable of each page shown (instant navigation included). */
declare const document$: { subscribe(next: () => void): unknown };
/** Material's location subject: the URL each instant navigation and history change goes to. */
declare const location$: { subscribe(next: (url: URL) => void): unknown };
