import { expect, type Page, type Route } from '@playwright/test';

// Holds back the page's JavaScript, as a slow network or a busy machine does, until the returned function lets it
// go: the server's HTML is then on screen without its behaviour. Routing also turns the HTTP cache off, so every
// script is asked for.
export async function holdScripts(page: Page): Promise<() => Promise<void>> {
  const held: Route[] = [];
  let holding = true;
  await page.route('**/_next/static/**/*.js', (route) => (holding ? held.push(route) : route.continue()));
  return async () => {
    await expect.poll(() => held.length).toBeGreaterThan(0);
    holding = false;
    for (const route of held.splice(0)) await route.continue();
  };
}
