// Driving a page by keyboard alone: Tab / Shift+Tab to a control (checking at every stop that the
// focus is visible), arrows within a radio group, Enter / Space to activate, and what a modal
// dialog must do with focus (start inside, stay inside, go back to the opener).
import type { Locator, Page } from 'playwright-core';

const MAX_STOPS = 80;

/** A short description of the focused element, for messages. */
function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '(nothing: body)';
    const name = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent;
    return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> ${(name ?? '').trim().slice(0, 40)}`;
  });
}

export class Keyboard {
  /** Focus stops where the focus was not visible. */
  readonly invisibleFocus: string[] = [];

  constructor(readonly page: Page) {}

  private async focused(target: Locator): Promise<boolean> {
    return target.evaluate((el) => el === document.activeElement);
  }

  /** Is the focused element drawn with a focus indicator (the app's :focus-visible outline)? */
  private async checkFocusVisible(): Promise<void> {
    const bad = await this.page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring =
        el.matches(':focus-visible') && style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2;
      return ring ? null : el.outerHTML.slice(0, 80);
    });
    if (bad) this.invisibleFocus.push(bad);
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  /** Tabs forward (or back) until `target` has the focus. */
  async tabTo(target: Locator, back = false): Promise<void> {
    await target.waitFor({ timeout: 60_000 });
    for (let i = 0; i < MAX_STOPS; i++) {
      if (await this.focused(target)) return;
      await this.press(back ? 'Shift+Tab' : 'Tab');
      await this.checkFocusVisible();
    }
    throw new Error(`${MAX_STOPS} presses of Tab never reached ${target}; focus on ${await describeFocus(this.page)}`);
  }

  /** Tabs to `target` and types `text` into it. */
  async fill(target: Locator, text: string): Promise<void> {
    await this.tabTo(target);
    await this.type(text);
  }

  /** Tabs to `target` and activates it with `key` (Enter or Space). */
  async activate(target: Locator, key: 'Enter' | ' ' = 'Enter'): Promise<void> {
    await this.tabTo(target);
    await this.press(key === ' ' ? 'Space' : key);
  }

  /** Selects radio `target`: Tab into its group (which lands on the checked radio), then arrows. */
  async choose(target: Locator): Promise<void> {
    await target.waitFor({ timeout: 60_000 });
    const group = await target.getAttribute('name');
    for (let i = 0; i < MAX_STOPS; i++) {
      const inGroup = await this.page.evaluate(
        (name) => (document.activeElement as HTMLInputElement | null)?.name === name,
        group,
      );
      if (inGroup) break;
      await this.press('Tab');
      await this.checkFocusVisible();
    }
    for (let i = 0; i < 6 && !(await target.isChecked()); i++) await this.press('ArrowDown');
    if (!(await target.isChecked())) throw new Error(`arrows never selected ${target}`);
  }

  /** Where the focus is: inside `container`? */
  async focusInside(container: Locator): Promise<boolean> {
    return container.evaluate((el) => el.contains(document.activeElement));
  }

  /** Presses Tab and Shift+Tab `times` each; true when the focus never left `dialog`. */
  async focusStaysIn(dialog: Locator, times = 5): Promise<boolean> {
    for (const key of ['Tab', 'Shift+Tab']) {
      for (let i = 0; i < times; i++) {
        await this.press(key);
        if (!(await this.focusInside(dialog))) return false;
      }
    }
    return true;
  }

  describeFocus(): Promise<string> {
    return describeFocus(this.page);
  }
}
