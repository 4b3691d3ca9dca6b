/**
 * A few DOM helpers: elements built from data with text nodes only (never innerHTML with what the API said), a
 * lookup that fails loudly when index.html lacks an element, and an update that leaves the page alone when a
 * refresh changed nothing, so focus and screen-reader position survive the periodic refresh.
 */

type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;
export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...kids: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else if (v === true) el.setAttribute(k, "");
    else if (v !== false && v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  for (const kid of kids) if (kid !== null && kid !== undefined && kid !== false) el.append(kid);
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`index.html has no #${id}`);
  return el as T;
}

/**
 * Replaces `container`'s children with `kids` unless they would render the same. When the focused element is
 * replaced, the new element with the same `data-key` gets the focus back.
 */
export function update(container: HTMLElement, kids: Child[]): void {
  const next = document.createElement(container.tagName);
  for (const kid of kids) if (kid !== null && kid !== undefined && kid !== false) next.append(kid);
  if (next.innerHTML === container.innerHTML) return;
  const focused = document.activeElement;
  const key = focused instanceof HTMLElement && container.contains(focused) ? focused.dataset.key : undefined;
  container.replaceChildren(...Array.from(next.childNodes));
  if (key !== undefined) container.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)?.focus();
}

export const time = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
};

export const dateTime = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
};

/** A <time> element for an ISO instant, shown in local time. */
export const timeEl = (iso: string, long = false): HTMLTimeElement =>
  h("time", { datetime: iso, title: iso }, long ? dateTime(iso) : time(iso));
