/**
 * Fluent draws its focus ring only when its keyboard detector (keyborg) saw a key press in this document.
 * When Tab moves focus into the tab's iframe from Teams, the key press happened in the parent page, so
 * the first control reached had no ring. The browser knows better (`:focus-visible` follows keyboard
 * focus across frames): where it says the focus is visible, set Fluent's own attribute for it.
 */
const FOCUS_VISIBLE_ATTR = 'data-fui-focus-visible';

export function installFocusRingBridge(doc: Document = document): () => void {
  let marked: HTMLElement | null = null;
  const clear = () => {
    marked?.removeAttribute(FOCUS_VISIBLE_ATTR);
    marked = null;
  };
  const onFocusIn = (e: FocusEvent) => {
    const el = e.target;
    if (!(el instanceof HTMLElement) || el.hasAttribute(FOCUS_VISIBLE_ATTR)) return;
    let visible: boolean;
    try {
      visible = el.matches(':focus-visible');
    } catch {
      return; // a browser without :focus-visible: Fluent's own detection stands
    }
    if (!visible) return;
    clear();
    el.setAttribute(FOCUS_VISIBLE_ATTR, '');
    marked = el;
  };
  const onFocusOut = (e: FocusEvent) => {
    if (e.target === marked) clear();
  };
  // A pointer press means the next focus is not keyboard focus: Fluent's detector takes over again.
  const onPointerDown = () => clear();
  doc.addEventListener('focusin', onFocusIn);
  doc.addEventListener('focusout', onFocusOut);
  doc.addEventListener('pointerdown', onPointerDown, true);
  return () => {
    clear();
    doc.removeEventListener('focusin', onFocusIn);
    doc.removeEventListener('focusout', onFocusOut);
    doc.removeEventListener('pointerdown', onPointerDown, true);
  };
}
