import { Modal } from './Modal.js';

/** A modal yes/no question: Cancel (or Escape) backs out, the confirm button does it. */
export function ConfirmDialog(props: {
  title: string;
  body: string;
  confirmLabel: string;
  /** A destructive confirm (kill, remove, reject) is styled as one; anything else is primary. */
  destructive?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal title={props.title} testId="confirm-dialog" onDismiss={props.onCancel}>
      <p>{props.body}</p>
      <div className="dialog__actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className={props.destructive ? 'danger' : 'primary'}
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
