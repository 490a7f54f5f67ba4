import type { EditedConfig } from '../config/config-document.js';
import {
  applyConfigChanges,
  parseConfigObject,
  writeConfigObject,
} from '../config/config-document.js';

/** One value to change in the config file, found by its key path. */
export interface ConfigEdit {
  path: readonly string[];
  from: string | boolean;
  to: string | boolean;
}

/**
 * Applies the edits to JSON5 text through the config file's one editor (the one Settings and
 * the setup flow save through): in place, comments kept, when the text allows it; otherwise the
 * whole file is rewritten as formatted JSON with every key kept, and `preserved` says so.
 */
export function editConfigText(text: string, edits: readonly ConfigEdit[]): EditedConfig {
  const changes = edits.map((edit) => ({ path: [...edit.path], value: edit.to }));
  return writeConfigObject(text, applyConfigChanges(parseConfigObject(text), changes));
}
