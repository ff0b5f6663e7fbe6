"""The append-only, hash-chained record of who accessed whose information, when and why."""
