import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A block left open (an easy slip when two branches add rules at the end of
// the file) silently nests every later rule inside a media query or
// another rule: the build accepts it and the pages lose their styles.
describe('styles.css', () => {
  it('closes every block it opens, and at the top level only', () => {
    const css = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'styles.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    let depth = 0;
    const unclosedAt: number[] = [];
    css.split('\n').forEach((line, i) => {
      // A comment line at depth > 0 right before a top-level selector is how the slip looked.
      if (depth > 0 && /^[.#a-z@:]/i.test(line) && !line.startsWith('@keyframes')) unclosedAt.push(i + 1);
      for (const ch of line) {
        if (ch === '{') depth++;
        else if (ch === '}') depth--;
      }
    });
    expect(depth).toBe(0);
    expect(unclosedAt.slice(0, 3)).toEqual([]);
  });
});
