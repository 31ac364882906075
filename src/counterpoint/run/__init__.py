"""Runs at scale: the per-document work, the executors that spread it over
processes or a Dask cluster, and the run that streams documents through them.

See :mod:`counterpoint.run.prepare` (what one worker does),
:mod:`counterpoint.run.executors` (in-process, process pool, Dask) and
:mod:`counterpoint.run.pipeline` (chunks, order, sinks, failures).
"""
