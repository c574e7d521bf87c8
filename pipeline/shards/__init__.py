"""Shard-parallel runs: the driver plans and tracks shards; each worker reads, processes and writes its own.

``plan`` cuts the inputs into shards, ``read`` reads one in a worker, ``task`` runs the
pipeline on it and writes its ``parts``, ``manifest`` records it, ``resolve`` finds the
duplicates across shards, ``publish`` turns the parts into the output and ``driver`` runs
it all on Dask (docs/scale.md).
"""
