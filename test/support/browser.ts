import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/** Debian's Chromium (apt-get install -y chromium) or CHROMIUM_PATH; never a browser downloaded by a tool. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, which('chromium'), which('chromium-browser'), '/usr/bin/chromium'];
  return candidates.find((path): path is string => !!path && existsSync(path)) ?? null;
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

function which(command: string): string | null {
  try {
    return execFileSync('which', [command], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
