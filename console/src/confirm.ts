/**
 * Confirmation of a destructive action in a modal <dialog> (index.html #confirm): the browser traps the focus in
 * it and Escape cancels. Cancel has the focus first, so Enter alone never confirms.
 */
import { byId } from "./dom.js";

export function confirmAction(title: string, text: string, confirmLabel: string): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>("confirm");
  byId("confirm-title").textContent = title;
  byId("confirm-text").textContent = text;
  const ok = byId<HTMLButtonElement>("confirm-ok");
  const cancel = byId<HTMLButtonElement>("confirm-cancel");
  ok.textContent = confirmLabel;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const done = (yes: boolean) => {
      ok.removeEventListener("click", onOk);
      cancel.removeEventListener("click", onCancel);
      dialog.removeEventListener("close", onClose);
      if (dialog.open) dialog.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(yes);
    };
    const onOk = () => done(true);
    const onCancel = () => done(false);
    const onClose = () => done(false);
    ok.addEventListener("click", onOk);
    cancel.addEventListener("click", onCancel);
    dialog.addEventListener("close", onClose);
    dialog.showModal();
    cancel.focus();
  });
}
