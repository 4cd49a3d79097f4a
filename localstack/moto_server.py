"""moto's server, with one local-performance fix; run as `python localstack/moto_server.py -H 127.0.0.1 -p 4566`.

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

if __name__ == "__main__":
    sys.argv[0] = "moto_server"
    sys.exit(moto.server.main())
