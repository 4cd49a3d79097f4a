// The same ack as Cartie's tg-webhook, in Node 20 with the AWS SDK v3, for a
// side-by-side measurement (scripts/bench-webhook.sh): the secret header
// compared in constant time, the update claimed with one conditional put on
// Cartie's table and key, the update queued on the FIFO queue (group per
// chat, deduplicated by update id), 204. Env: PORT, TABLE, QUEUE_NAME,
// SECRET, BOT_ID, plus AWS_ENDPOINT_URL and credentials for the local stack.
import http from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

const { PORT, TABLE, QUEUE_NAME, SECRET, BOT_ID } = process.env;
const ddb = new DynamoDBClient({});
const sqs = new SQSClient({});
const queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: QUEUE_NAME }))).QueueUrl;
const expected = createHash('sha256').update(SECRET).digest();

function chatOf(u) {
  const m = u.message ?? u.edited_message ?? u.callback_query?.message;
  return m?.chat?.id ?? u.callback_query?.from?.id;
}

async function ack(req, res, body) {
  const given = createHash('sha256').update(String(req.headers['x-telegram-bot-api-secret-token'] ?? '')).digest();
  if (!timingSafeEqual(given, expected)) return res.writeHead(401).end();
  let update;
  try {
    update = JSON.parse(body);
  } catch {
    return res.writeHead(400).end();
  }
  if (!Number.isInteger(update?.update_id)) return res.writeHead(400).end();
  const chat = chatOf(update);
  if (chat === undefined) return res.writeHead(204).end();
  const now = Math.floor(Date.now() / 1000);
  try {
    await ddb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          PK: { S: `WS#bench#UPD#${BOT_ID}#${update.update_id}` },
          SK: { S: 'UPD' },
          status: { S: 'IN_PROGRESS' },
          expires_at: { N: String(now + 86400) },
        },
        ConditionExpression: 'attribute_not_exists(PK) OR expires_at < :now',
        ExpressionAttributeValues: { ':now': { N: String(now) } },
      }),
    );
  } catch (e) {
    if (e.name !== 'ConditionalCheckFailedException') return res.writeHead(500).end();
  }
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify({ workspace_id: 'bench', bot_id: Number(BOT_ID), update_id: update.update_id, update }),
      MessageGroupId: `${BOT_ID}:${chat}`,
      MessageDeduplicationId: `${BOT_ID}:${update.update_id}`,
    }),
  );
  res.writeHead(204).end();
}

http
  .createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => ack(req, res, body).catch(() => res.writeHead(500).end()));
  })
  .listen(Number(PORT), '127.0.0.1', () => console.log(`ready ${PORT}`));
