/**
 * The app's views, in sidebar order. Adding a view: its name here, then its entry (label, icon,
 * component) in views/registry.tsx.
 */
export const VIEWS = [
  'dashboard',
  'console',
  'providers',
  'pairing',
  'approvals',
  'allowlists',
  'sessions',
  'sandboxes',
  'usage',
  'security',
  'logs',
  'incident',
  'settings',
  'setup',
] as const;

/** One of the app's views. */
export type View = (typeof VIEWS)[number];

/**
 * The view a location hash names (`#pairing`), or the dashboard. Web mode's `#token=…` is not a
 * view: api.ts takes it out of the address bar before anything reads the hash for a view.
 */
export function viewFromHash(hash: string): View {
  const name = hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : 'dashboard';
}
