import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium; the Playwright-managed browser downloads are not available offline. */
export const CHROMIUM_PATH = process.env.WARDEN_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // With the GPU disabled, WebGL (which MapLibre needs) only works through the SwiftShader
  // software rasteriser. Chromium falls back to it silently today, but that fallback is being
  // phased out, so ask for it explicitly.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
