import * as Dialog from '@radix-ui/react-dialog';
import { useState, type ReactNode, type RefObject } from 'react';
import './modal.css';

/**
 * A modal dialog: Radix Dialog (focus trapped, the rest of the page hidden from assistive
 * technology and locked from scrolling, Escape closes), titled, on a dimmed backdrop. It is
 * open while mounted: render it to open, stop rendering it to close. Focus goes back to what had
 * it when the dialog opened (a button, the console's input), or stays put if that is gone.
 * A click outside does nothing: every dialog here asks for a decision, and Escape or its own
 * buttons are the way out.
 */
export function Modal(props: {
  title: ReactNode;
  testId: string;
  /** Escape (and anything else Radix treats as closing). */
  onDismiss: () => void;
  /** What gets focus first (default: the first focusable control). */
  initialFocus?: RefObject<HTMLElement | null>;
  className?: string;
  children: ReactNode;
}) {
  const { initialFocus, onDismiss } = props;
  // Read once, before the dialog takes focus: where focus goes back to.
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  return (
    <Dialog.Root
      open
      onOpenChange={(open) => {
        if (!open) onDismiss();
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="modal-backdrop" />
        <Dialog.Content
          className={props.className ? `dialog ${props.className}` : 'dialog'}
          data-testid={props.testId}
          // The body explains itself; there is no one sentence to single out as the description.
          aria-describedby={undefined}
          onOpenAutoFocus={(event) => {
            if (!initialFocus?.current) return;
            event.preventDefault();
            initialFocus.current.focus();
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            if (opener?.isConnected) opener.focus();
          }}
          onPointerDownOutside={(event) => event.preventDefault()}
        >
          <Dialog.Title className="dialog__title">{props.title}</Dialog.Title>
          {props.children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
