import { useEffect, useRef } from 'react';

/** A modal yes/no question, built on the native <dialog> (focus trapping and Esc for free). */
export function ConfirmDialog(props: {
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" data-testid="confirm-dialog" onCancel={props.onCancel}>
      <h2>{props.title}</h2>
      <p>{props.body}</p>
      <div className="dialog__actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
