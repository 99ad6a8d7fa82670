// The tab bar on a phone: the current tab is scrolled into view and the bar fades where more tabs lie.
// The DOM here has no layout, so the sizes a browser would measure are given by hand.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent } from 'vue';
import { markOverflow, revealCurrent, vScrollTabs } from './scroll-tabs';

function bar(sizes: { scrollWidth: number; clientWidth: number; scrollLeft?: number }) {
  const el = document.createElement('nav');
  Object.defineProperty(el, 'scrollWidth', { value: sizes.scrollWidth });
  Object.defineProperty(el, 'clientWidth', { value: sizes.clientWidth });
  el.scrollLeft = sizes.scrollLeft ?? 0;
  return el;
}

function tab(el: HTMLElement, left: number, width: number, current = false) {
  const a = document.createElement('a');
  Object.defineProperty(a, 'offsetLeft', { value: left });
  Object.defineProperty(a, 'offsetWidth', { value: width });
  if (current) a.setAttribute('aria-current', 'page');
  el.append(a);
  return a;
}

describe('v-scroll-tabs', () => {
  it('marks a bar with more tabs to the right, to the left, or none', () => {
    const wide = bar({ scrollWidth: 600, clientWidth: 360 });
    markOverflow(wide);
    expect([...wide.classList]).toEqual(['gx-tabs-more-right']);
    const fits = bar({ scrollWidth: 300, clientWidth: 360 });
    markOverflow(fits);
    expect([...fits.classList]).toEqual([]);
  });

  it('scrolls the current tab into view when it lies beyond the right edge', () => {
    const el = bar({ scrollWidth: 600, clientWidth: 360 });
    tab(el, 0, 100);
    tab(el, 480, 110, true);
    revealCurrent(el);
    // Its right edge (590) plus a margin, within a 360 px bar.
    expect(el.scrollLeft).toBe(590 - 360 + 16);
  });

  it('names the bar for the suite style, and leaves a bar that fits where it is', () => {
    const App = defineComponent({
      directives: { scrollTabs: vScrollTabs },
      template: '<nav v-scroll-tabs><a aria-current="page">x</a></nav>',
    });
    const w = mount(App);
    expect(w.find('nav').classes()).toContain('gx-tabs');
    expect((w.find('nav').element as HTMLElement).scrollLeft).toBe(0);
    w.unmount();
  });
});
