"""moto's server, with four local-performance fixes; run as `python localstack/moto_server.py -H 127.0.0.1 -p 4566`.

Behaviour is moto's; only costs that grow with data or repeat per request
are cut. Measured with py-spy on the 1,000-update webhook benchmark, the
four below took over half of moto's CPU.

1. DynamoDB transactions (below).
2. Every request lists moto's package folders on disk (`isdir` per
   service) to route itself: the list is read once.
3. SQS receive builds a queue's full attribute map for every message it
   looks at, only to read the retention period: read it directly.
4. The development server logs every request line (werkzeug at INFO),
   under a lock shared by all request threads: only warnings are logged.

And one correctness fix: moto checks a write's condition and then writes,
and the server runs requests on threads, so two concurrent conditional
writes of one item could both pass their check (seen as two deploys both
recording migration 1). DynamoDB makes each write atomic; here every
DynamoDB write runs under one lock, as it would behind DynamoDB.

moto 5.2 snapshots every table a DynamoDB transaction touches with a full
`copy.deepcopy` of the table before running it, so each TransactWriteItems
costs time proportional to the table size: an Inbox of a few thousand
messages slows every new message to hundreds of milliseconds, and the
1,000-update test to minutes. DynamoDB itself has no such cost.

This keeps moto's own transaction logic and replaces only the snapshot:
the items the transaction names are copied before it runs and put back if
it is cancelled. Behaviour (conditions, cancellation reasons, rollback) is
moto's; only what is copied changes.
"""

import copy
import json
import sys
import threading

import moto.server
from moto.dynamodb.models import DynamoDBBackend, Table
import moto.dynamodb.models as ddb_models


class _NoTableCopy:
    """`copy` as moto's DynamoDB module sees it, except that a whole Table is
    not deep-copied (the item snapshots below stand in for it)."""

    def __getattr__(self, name):
        return getattr(copy, name)

    @staticmethod
    def deepcopy(x, memo=None):
        if isinstance(x, Table):
            return x
        return copy.deepcopy(x, memo)


_moto_transact = DynamoDBBackend.transact_write_items


def _key_of(table, op_type, op):
    if op_type == "Put":
        attrs = op.get("Item", {})
        key = {table.hash_key_attr: attrs.get(table.hash_key_attr)}
        if table.range_key_attr is not None:
            key[table.range_key_attr] = attrs.get(table.range_key_attr)
        return key
    return op.get("Key")


def transact_write_items(self, transact_items):
    snapshots = {}
    for entry in transact_items:
        op_type, op = next(iter(entry.items()))
        name = op.get("TableName")
        if name not in self.tables:
            continue
        key = _key_of(self.tables[name], op_type, op)
        if not key or None in key.values():
            continue
        ident = (name, json.dumps(key, sort_keys=True))
        if ident not in snapshots:
            current = self.get_item(name, key)
            before = copy.deepcopy(current.to_json()["Attributes"]) if current else None
            snapshots[ident] = (name, key, before)
    try:
        return _moto_transact(self, transact_items)
    except Exception:
        for name, key, before in snapshots.values():
            if before is None:
                if self.get_item(name, key) is not None:
                    self.delete_item(name, key)
            else:
                self.put_item(name, before)
        raise


ddb_models.copy = _NoTableCopy()
DynamoDBBackend.transact_write_items = transact_write_items

_WRITE_LOCK = threading.RLock()


def _atomic(method):
    def run(self, *args, **kwargs):
        with _WRITE_LOCK:
            return method(self, *args, **kwargs)

    return run


for _name in ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item"):
    if hasattr(DynamoDBBackend, _name):
        setattr(DynamoDBBackend, _name, _atomic(getattr(DynamoDBBackend, _name)))

import moto.backends as moto_backends  # noqa: E402
from moto.core.utils import unix_time  # noqa: E402
from moto.sqs.models import SQSBackend  # noqa: E402

_MODULES = tuple(moto_backends.list_of_moto_modules())
moto_backends.list_of_moto_modules = lambda: _MODULES


def _retained(self, queue_name, message):
    queue = self.get_queue(queue_name)
    return int(queue.message_retention_period) + message.sent_timestamp / 1000 > unix_time()


SQSBackend.is_message_valid_based_on_retention_period = _retained

import logging  # noqa: E402

logging.getLogger("werkzeug").setLevel(logging.WARNING)

if __name__ == "__main__":
    sys.argv[0] = "moto_server"
    sys.exit(moto.server.main())
