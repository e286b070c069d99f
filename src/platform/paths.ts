import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root folder (where package.json names the package `dost`), found by walking up
 * from this file — so migrations and data files are found the same way whether the server runs
 * from the TypeScript sources or from a bundle.
 */
export const PROJECT_ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'dost') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the dost project root (package.json)');
    dir = up;
  }
})();
