/**
 * The Chromium from the npm package @sparticuz/chromium, for machines without a system one. The
 * package holds a Brotli-compressed headless shell, the NSS libraries it links against
 * (al2023.tar.br) and a Latin font; `preparePackagedChromium` unpacks them once per package
 * version into node_modules/.cache, and `packagedChromiumEnv` is what the browser process
 * needs to find them. Chinese text comes from the web app's own font (web/src/main.tsx), so
 * this browser deliberately sees no system fonts: screenshots show what a machine without
 * CJK fonts shows.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PACKAGE_DIR = path.join(ROOT, 'node_modules/@sparticuz/chromium');

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Where one package version is unpacked: beside the executable are its libraries and fonts. */
export function packagedChromiumDir(): string {
  return path.join(ROOT, 'node_modules/.cache', `keyline-chromium-${packageVersion()}`);
}

/**
 * Unpacks the browser (about 6 s the first time) and returns the executable's path. The
 * package unpacks into os.tmpdir() and reuses whatever it finds there, so it unpacks into a
 * private directory that is renamed into place only when complete: a run interrupted
 * half-way, or another package version, never leaves a broken browser behind.
 */
export async function preparePackagedChromium(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `@sparticuz/chromium holds a browser for Linux x64 only, not ${process.platform}-${process.arch}: install Chromium and set KEYLINE_TEST_CHROMIUM to it, or skip the browser test with KEYLINE_TEST_E2E=off`,
    );
  }
  const dir = packagedChromiumDir();
  const executable = path.join(dir, 'chromium');
  if (!fs.existsSync(executable)) {
    const staging = `${dir}.${process.pid}.tmp`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    try {
      const { default: chromium, inflate } = await import('@sparticuz/chromium');
      await chromium.executablePath();
      await inflate(path.join(PACKAGE_DIR, 'bin/al2023.tar.br'));
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
    fs.writeFileSync(path.join(staging, 'fonts.conf'), fontsConf(dir));
    if (!fs.existsSync(executable)) fs.renameSync(staging, dir);
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return executable;
}

/** Only the package's own fonts, and a font cache inside the unpacked directory. */
function fontsConf(dir: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${path.join(dir, 'fonts/fonts')}</dir>
  <cachedir>${path.join(dir, 'fontconfig-cache')}</cachedir>
</fontconfig>
`;
}

/** True when `executable` is the unpacked packaged browser (it then needs `packagedChromiumEnv`). */
export function isPackagedChromium(executable: string): boolean {
  return path.dirname(path.resolve(executable)) === packagedChromiumDir();
}

/** The environment of the packaged browser's process: its NSS libraries and its font configuration. */
export function packagedChromiumEnv(executable: string): Record<string, string> {
  const dir = path.dirname(path.resolve(executable));
  const libs = path.join(dir, 'al2023/lib');
  return {
    LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    FONTCONFIG_FILE: path.join(dir, 'fonts.conf'),
  };
}
