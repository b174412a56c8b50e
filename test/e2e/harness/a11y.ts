// What a keyboard or screen-reader user meets, read from Chromium itself: the accessible name of
// every control (the browser's own accessibility tree, over the DevTools protocol), and whether
// the focused element shows a focus ring.
import type { CDPSession, Page } from 'playwright-core';

/** Roles a user operates: each must have a name. */
const CONTROL_ROLES = new Set([
  'button',
  'link',
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'checkbox',
  'radio',
  'switch',
  'spinbutton',
  'slider',
  'tab',
  'menuitem',
  'date',
  'dateTime',
  'InputTime',
]);

interface AxNode {
  ignored: boolean;
  role?: { value?: unknown };
  name?: { value?: unknown };
  backendDOMNodeId?: number;
}

const sessions = new WeakMap<Page, CDPSession>();

async function cdp(page: Page): Promise<CDPSession> {
  let s = sessions.get(page);
  if (!s) {
    s = await page.context().newCDPSession(page);
    sessions.set(page, s);
  }
  return s;
}

/** How many controls the page has, and those without an accessible name (tag and test id). */
export async function controlNames(page: Page): Promise<{ total: number; unnamed: string[] }> {
  const session = await cdp(page);
  const { nodes } = (await session.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  const controls = nodes.filter(
    (n) => !n.ignored && CONTROL_ROLES.has(String(n.role?.value ?? '')),
  );
  const unnamed: string[] = [];
  for (const n of controls) {
    if (String(n.name?.value ?? '').trim() !== '') continue;
    let what = String(n.role?.value);
    if (n.backendDOMNodeId !== undefined) {
      const { node } = (await session.send('DOM.describeNode', {
        backendNodeId: n.backendDOMNodeId,
      })) as { node: { localName: string; attributes?: string[] } };
      const attrs = node.attributes ?? [];
      const attr = (name: string) => {
        const i = attrs.indexOf(name);
        return i >= 0 ? attrs[i + 1] : undefined;
      };
      what += ` <${node.localName}> ${attr('data-testid') ?? attr('name') ?? attr('id') ?? ''}`;
    }
    unnamed.push(what.trim());
  }
  return { total: controls.length, unnamed };
}

export interface FocusState {
  /** tag#testid of the focused element, or its text. */
  what: string;
  testId: string | null;
  focusVisible: boolean;
  /** A date or date-time field: its focus is in its inner parts, not on the field. */
  dateField: boolean;
  /** A ring is drawn: an outline of some width, or a box shadow. */
  ring: boolean;
  outline: string;
  boxShadow: string;
}

/** The focused element and whether a focus ring is drawn around it. */
export async function focusState(page: Page): Promise<FocusState> {
  return (await page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) {
      return { what: 'body', testId: null, focusVisible: false, dateField: false, ring: false, outline: '', boxShadow: '' };
    }
    const cs = getComputedStyle(el);
    const outlineOn = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadowOn = cs.boxShadow !== 'none' && cs.boxShadow !== '';
    const testId = el.getAttribute('data-testid');
    return {
      what: el.tagName.toLowerCase() + (testId ? '#' + testId : '') + ' ' +
        (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
      testId,
      focusVisible: el.matches(':focus-visible'),
      dateField: el.matches('input[type="date"], input[type="datetime-local"]'),
      ring: outlineOn || shadowOn,
      outline: cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor,
      boxShadow: cs.boxShadow,
    };
  })()`)) as FocusState;
}
