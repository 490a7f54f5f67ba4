import { useEffect, useState } from 'react';
import type {
  ConfigChange,
  ConfigIssue,
  ConfigPath,
  ConfigPreview,
  ConfigView,
} from '../../../src-shared/domain/config-edit.js';
import { formatConfigPath } from '../../../src-shared/domain/config-edit.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';
import { useTransport } from '../../state/store-context.js';

/** A value in the config file, as JSON. */
export type ConfigValue = NonNullable<Extract<ConfigChange, { value: unknown }>['value']> | null;

/** What a form needs from the config being edited. */
export interface ConfigDraft {
  view: ConfigView | null;
  /** The value shown for a key: the unsaved edit, else the file's, else the one in force. */
  value: (path: ConfigPath) => unknown;
  set: (path: ConfigPath, value: ConfigValue) => void;
  /** Removes the key from the file, so its default applies again. */
  unset: (path: ConfigPath) => void;
  /** Problems for this field (its own key, or keys inside it such as list items). */
  issuesFor: (path: ConfigPath) => ConfigIssue[];
  changes: ConfigChange[];
  /** What the unsaved edits would change, once reviewed; null while not reviewed. */
  preview: ConfigPreview | null;
  review: () => Promise<void>;
  save: () => Promise<boolean>;
  discard: () => void;
  busy: boolean;
  /** A failure to reach the supervisor (not a field's problem). */
  error: string | null;
  /** What the last save changed, for the confirmation line. */
  saved: ConfigPreview['diff'] | null;
  commentsKept: boolean;
}

function read(root: unknown, path: ConfigPath): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/**
 * The config file as Settings edits it: loads it, keeps unsaved edits by key path, asks the
 * supervisor to validate them with the config schema (each problem lands next to its field),
 * shows the diff, and saves; reloads when the file changes elsewhere and nothing is being edited.
 */
export function useConfigDraft(): ConfigDraft {
  const transport = useTransport();
  const [view, setView] = useState<ConfigView | null>(null);
  const [edits, setEdits] = useState<Map<string, ConfigChange>>(new Map());
  const [preview, setPreview] = useState<ConfigPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<ConfigPreview['diff'] | null>(null);
  const [commentsKept, setCommentsKept] = useState(true);

  const editing = edits.size > 0;
  useEffect(() => {
    if (!transport) return undefined;
    let live = true;
    const load = () =>
      transport.invoke('config:get', {}).then(
        (reply) => {
          if (!live) return;
          if (reply.ok) setView(reply.value);
          else setError(reply.error.message);
        },
        (failure: unknown) => {
          if (live) setError(describeError(failure));
        },
      );
    void load();
    // Edited elsewhere (an editor, the CLI, the setup flow): shown unless the owner is editing.
    const off = transport.on('config:changed', () => {
      if (!editing) void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [transport, editing]);

  const change = (next: ConfigChange) => {
    setEdits((current) => new Map(current).set(formatConfigPath(next.path), next));
    setPreview(null);
    setSaved(null);
  };
  const changes = [...edits.values()];

  const value = (path: ConfigPath): unknown => {
    const edit = edits.get(formatConfigPath(path));
    if (edit) return 'value' in edit ? edit.value : read(view?.effective, path);
    // An edit of a key above this one (a whole list or map) holds this value.
    for (let depth = path.length - 1; depth > 0; depth -= 1) {
      const parent = edits.get(formatConfigPath(path.slice(0, depth)));
      if (parent && 'value' in parent) return read(parent.value, path.slice(depth));
    }
    const inFile = read(view?.file, path);
    return inFile !== undefined ? inFile : read(view?.effective, path);
  };

  const issuesFor = (path: ConfigPath): ConfigIssue[] => {
    const key = formatConfigPath(path);
    return (preview?.issues ?? []).filter(
      (issue) =>
        issue.path === key || issue.path.startsWith(`${key}.`) || issue.path.startsWith(`${key}[`),
    );
  };

  const review = async () => {
    if (!transport || changes.length === 0) return;
    setBusy(true);
    try {
      const reply = await transport.invoke('config:preview', { changes });
      if (reply.ok) {
        setPreview(reply.value);
        setError(null);
      } else setError(reply.error.message);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const save = async (): Promise<boolean> => {
    if (!transport || changes.length === 0) return false;
    setBusy(true);
    try {
      const reply = await transport.invoke('config:save', { changes });
      if (!reply.ok) {
        setError(reply.error.message);
        return false;
      }
      setError(null);
      setView(reply.value.view);
      if (!reply.value.saved) {
        setPreview(reply.value);
        return false;
      }
      setEdits(new Map());
      setPreview(null);
      setSaved(reply.value.diff);
      setCommentsKept(reply.value.commentsKept);
      return true;
    } catch (failure) {
      setError(describeError(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };

  return {
    view,
    value,
    set: (path, next) => change({ path, value: next }),
    unset: (path) => change({ path, remove: true }),
    issuesFor,
    changes,
    preview,
    review,
    save,
    discard: () => {
      setEdits(new Map());
      setPreview(null);
    },
    busy,
    error,
    saved,
    commentsKept,
  };
}
