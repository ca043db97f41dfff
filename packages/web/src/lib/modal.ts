// `use:modal` on a <dialog>: opens it modally and handles the focus as a keyboard user needs it.
// The native modal dialog makes the page behind inert, but Tab past its last control leaves the
// document (to the browser's own UI), so Tab and Shift+Tab wrap inside it here. On close, focus
// goes back to the control that opened it; if that control is gone with the step it offered, to
// the page's heading, so the keyboard is never left at the top of the document.

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

function focusables(dialog: HTMLDialogElement): HTMLElement[] {
  return Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
  );
}

export function modal(dialog: HTMLDialogElement): { destroy(): void } {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const wrapTab = (e: KeyboardEvent) => {
    if (e.key !== 'Tab') return;
    const all = focusables(dialog);
    const first = all[0];
    const last = all[all.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !dialog.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !dialog.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  };
  dialog.addEventListener('keydown', wrapTab);
  dialog.showModal();
  return {
    destroy() {
      dialog.removeEventListener('keydown', wrapTab);
      dialog.close();
      // After the page has re-rendered for whatever the dialog did.
      setTimeout(() => {
        if (opener?.isConnected) opener.focus();
        else document.querySelector<HTMLElement>('main h1[tabindex]')?.focus();
      }, 0);
    },
  };
}
