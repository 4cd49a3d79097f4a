// Part of `npm run build`: fails when src/styles.css leaves a block open.
// An unclosed brace (an easy slip when two branches add rules at the end of
// the file) silently nests every later rule inside a media query or another
// rule: Vite accepts it and the pages lose their styles on most screens.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'styles.css');
const css = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
let depth = 0;
const nested = [];
css.split('\n').forEach((line, i) => {
  // A rule written at the start of a line while a block is still open.
  if (depth > 0 && /^[.#a-z@:[*]/i.test(line)) nested.push(i + 1);
  for (const ch of line) {
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
  }
});
if (depth !== 0 || nested.length) {
  console.error(`src/styles.css: ${depth} block(s) left open; rules nested by mistake at lines ${nested.slice(0, 5).join(', ') || '(none)'}`);
  process.exit(1);
}
console.log('styles.css: every block closed');
