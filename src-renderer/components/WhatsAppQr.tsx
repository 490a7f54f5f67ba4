import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { describeError } from '../../src-shared/errors/describe-error.js';

type Drawn = { payload: string; image: string } | { payload: string; failure: string };

/**
 * WhatsApp's linking QR code as an image. WhatsApp rotates the payload every 20 seconds or so,
 * and each new one is drawn as it arrives. Drawn here from the payload rather than sent as an
 * image: the status stays small, and the CLI can print the same payload in a terminal.
 */
export function WhatsAppQr({ payload }: { payload: string }) {
  const [drawn, setDrawn] = useState<Drawn | null>(null);

  useEffect(() => {
    let current = true;
    QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 2, width: 264 }).then(
      (image) => {
        if (current) setDrawn({ payload, image });
      },
      (error: unknown) => {
        if (current) {
          setDrawn({ payload, failure: describeError(error) });
        }
      },
    );
    // A slower draw of an older payload must not replace a newer one.
    return () => {
      current = false;
    };
  }, [payload]);

  // An image of an expired payload would link nothing: show nothing until the new one is drawn.
  if (!drawn || drawn.payload !== payload) {
    return <p className="qr qr--drawing">Drawing the QR code…</p>;
  }
  if ('failure' in drawn) {
    return (
      <p className="warning" data-testid="whatsapp-qr-failed">
        Could not draw the QR code ({drawn.failure}). Run <code>clawdbot whatsapp login</code> to
        see it in a terminal instead.
      </p>
    );
  }
  return (
    <img
      className="qr"
      src={drawn.image}
      width={264}
      height={264}
      alt="WhatsApp linking QR code"
      data-testid="whatsapp-qr"
    />
  );
}
