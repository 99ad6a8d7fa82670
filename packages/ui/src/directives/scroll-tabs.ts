// `v-scroll-tabs` on an app's tab bar (a row of RouterLinks): where the bar is too narrow for its tabs it
// scrolls sideways, so the current tab is scrolled into view whenever it changes (RouterLink marks it
// aria-current="page"), and the bar fades at an edge while more tabs lie beyond it. The bar also gets the
// class `gx-tabs`, with which style.css makes it compact on a phone and wraps its tabs onto a second row
// there, so that none is cut off at the edge.
import type { Directive } from 'vue';

interface TabsState {
  observer: MutationObserver;
  onScroll: () => void;
}

const states = new WeakMap<HTMLElement, TabsState>();

/** Marks whether tabs lie beyond the left or right edge of the bar. */
export function markOverflow(el: HTMLElement): void {
  const more = el.scrollWidth - el.clientWidth;
  el.classList.toggle('gx-tabs-more-right', more > 1 && el.scrollLeft < more - 1);
  el.classList.toggle('gx-tabs-more-left', more > 1 && el.scrollLeft > 1);
}

/** Scrolls the current tab (aria-current="page") into view, if the bar scrolls at all. */
export function revealCurrent(el: HTMLElement): void {
  const current = el.querySelector<HTMLElement>('[aria-current="page"]');
  if (!current || el.scrollWidth <= el.clientWidth) return;
  const left = current.offsetLeft - el.offsetLeft;
  const right = left + current.offsetWidth;
  if (left < el.scrollLeft) el.scrollLeft = Math.max(0, left - 16);
  else if (right > el.scrollLeft + el.clientWidth) el.scrollLeft = right - el.clientWidth + 16;
  markOverflow(el);
}

export const vScrollTabs: Directive<HTMLElement> = {
  mounted(el) {
    el.classList.add('gx-tabs');
    const onScroll = () => markOverflow(el);
    el.addEventListener('scroll', onScroll, { passive: true });
    const observer = new MutationObserver(() => revealCurrent(el));
    observer.observe(el, { subtree: true, attributes: true, attributeFilter: ['aria-current', 'class'] });
    states.set(el, { observer, onScroll });
    revealCurrent(el);
    markOverflow(el);
  },
  unmounted(el) {
    const state = states.get(el);
    state?.observer.disconnect();
    if (state) el.removeEventListener('scroll', state.onScroll);
    states.delete(el);
  },
};
