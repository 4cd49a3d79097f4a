// Sends Telegram-shaped text updates to a webhook: COUNT of them, CONCURRENCY
// at a time, update ids from FIRST, 50 chats. Prints "ok <n> failed <n>".
// Usage: node webhook-load.mjs URL SECRET FIRST COUNT CONCURRENCY
const [url, secret, first, count, concurrency] = process.argv.slice(2);
let next = 0;
let ok = 0;
let failed = 0;
async function worker() {
  while (next < Number(count)) {
    const i = next++;
    const id = Number(first) + i;
    const chat = 10_000 + (i % 50);
    const body = JSON.stringify({
      update_id: id,
      message: { message_id: id, date: 1_764_000_000, chat: { id: chat, type: 'private', first_name: 'Bench' },
        from: { id: chat, is_bot: false, first_name: 'Bench' }, text: `message ${id}` },
    });
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body });
    if (r.status === 204 || r.status === 200) ok++;
    else failed++;
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
console.log(`ok ${ok} failed ${failed}`);
