import { useEffect, useRef } from 'react';
import type { PairingRequest } from '../../src-shared/domain/access.js';
import type { ApprovalRequest } from '../../src-shared/domain/approvals.js';
import { revealedText } from '../../src-shared/approvals/reveal-command.js';
import { providerName, senderLabel } from '../../src-shared/domain/pairing-display.js';
import { usePendingApprovals } from './approvals-store.js';
import { useApp } from './store-context.js';

/**
 * What waits for the owner, raised the way a background tab still shows it: the count of
 * pending approvals and pairing requests in the title and on a favicon badge, and a browser
 * notification for each new one (the permission asked once, on the first request: a refusal is
 * remembered by the browser and never asked again). The desktop app shows the same through the
 * OS; web mode has only this.
 */
export function useAttention(): void {
  const approvals = usePendingApprovals();
  const pairing = useApp((s) => s.pending);
  const seen = useRef(new Set<string>());
  const baseline = useRef(false);
  const title = useRef<string | null>(null);
  const count = approvals.length + (pairing?.length ?? 0);

  useEffect(() => {
    title.current ??= document.title.replace(/^\(\d+\) /, '');
    document.title = count > 0 ? `(${count}) ${title.current}` : title.current;
    setFavicon(count);
  }, [count]);

  useEffect(() => {
    for (const request of approvals) {
      if (seen.current.has(request.id)) continue;
      seen.current.add(request.id);
      notify(approvalNotice(request));
    }
  }, [approvals]);

  useEffect(() => {
    if (pairing === null) return;
    // Requests already waiting when the window opened are not news (the toasts agree).
    const fresh = baseline.current ? pairing.filter((r) => !seen.current.has(r.id)) : [];
    baseline.current = true;
    for (const request of pairing) seen.current.add(request.id);
    for (const request of fresh) notify(pairingNotice(request));
  }, [pairing]);
}

interface Notice {
  title: string;
  body: string;
  tag: string;
}

function approvalNotice(request: ApprovalRequest): Notice {
  return {
    title: 'Clawdbot: approval needed',
    // Hidden and look-alike characters marked here too: the notification is read on its own.
    body: `${request.where}: ${revealedText(request.command)}`,
    tag: `approval-${request.id}`,
  };
}

function pairingNotice(request: PairingRequest): Notice {
  return {
    title: 'Clawdbot: pairing request',
    body: `${senderLabel(request)} on ${providerName(request.provider)}`,
    tag: `pairing-${request.id}`,
  };
}

function notify(notice: Notice): void {
  if (typeof Notification === 'undefined') return;
  const show = (): void => {
    const note = new Notification(notice.title, { body: notice.body, tag: notice.tag });
    note.onclick = () => window.focus();
  };
  if (Notification.permission === 'granted') show();
  else if (Notification.permission === 'default') {
    void Notification.requestPermission().then((permission) => {
      if (permission === 'granted') show();
    });
  }
}

function setFavicon(count: number): void {
  const canvas = document.createElement('canvas');
  canvas.width = 32;
  canvas.height = 32;
  const context = canvas.getContext('2d');
  if (!context) return;
  context.fillStyle = '#444';
  context.beginPath();
  context.arc(16, 16, 14, 0, Math.PI * 2);
  context.fill();
  if (count > 0) {
    context.fillStyle = '#d22';
    context.beginPath();
    context.arc(22, 10, 10, 0, Math.PI * 2);
    context.fill();
    context.fillStyle = '#fff';
    context.font = 'bold 14px sans-serif';
    context.textAlign = 'center';
    context.fillText(count > 9 ? '9+' : String(count), 22, 15);
  }
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.appendChild(link);
  }
  link.href = canvas.toDataURL('image/png');
  link.dataset['count'] = String(count);
}
