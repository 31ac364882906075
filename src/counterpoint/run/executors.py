"""Executors: where the per-document work of a run happens.

Three, behind one interface (:class:`Executor`):

* :class:`InProcess` runs each chunk in this process (the default; what a
  small ingest or the web upload uses);
* :class:`ProcessPool` keeps ``N`` worker processes, each loading the models
  once;
* :class:`DaskExecutor` sends chunks to a Dask cluster: one at an address, or
  a ``LocalCluster`` it starts.

Each yields ``(chunk, results)`` in the order the chunks came in, and holds at
most a few chunks per worker at a time, pulling the next one from the input only
when there is room (back-pressure), so memory does not grow with the input.

A chunk that fails as a whole — its worker crashed, hung past the timeout, or
the stage raised — is split, and its documents are run one by one; a document
that fails alone is returned as failed with the reason
(:meth:`counterpoint.run.prepare.Prepared.failed`). Workers watch their own
progress (:class:`Watchdog`): one that has not finished a piece of work for
``timeout`` seconds exits, and the run goes on without it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from counterpoint.errors import ConfigError, CounterpointError, EmbeddingError
from counterpoint.run.prepare import Prepared, Stage, warm, worker_setup
from counterpoint.schema import Document

__all__ = ["DEFAULT_TIMEOUT", "Chunk", "DaskExecutor", "Executor", "InProcess", "ProcessPool",
           "Watchdog", "make_executor"]

log = logging.getLogger(__name__)

# Seconds a worker may go without finishing a piece of work (a parsed document, an
# embedding call) before it is taken for hung. Parsing the longest body analysed
# (200,000 characters) takes ~15 s here.
DEFAULT_TIMEOUT = 120.0
# The exit code of a worker stopped by its watchdog.
EXIT_HUNG = 75
# Chunks held per worker (one running, the next ready).
AHEAD = 2
# Chunks a worker prepares before it is replaced by a fresh one: spaCy's string store
# grows with every new word it meets, and a Dask worker's heap by ~1 MB per thousand
# tasks, so a long-lived worker would grow with the input.
CHUNKS_PER_WORKER = 500
# Errors that are about the installation, not a document: they stop the run.
FATAL: tuple[type[BaseException], ...] = (ConfigError, EmbeddingError)


@dataclass
class Chunk:
    """A piece of the input: documents to prepare, and what the run already decided
    about the documents it skipped on the way (carried along so outcomes stay in order)."""

    seq: int
    documents: list[Document]
    skipped: list[Any] = field(default_factory=list)


class Executor(Protocol):
    """Runs a stage over chunks; yields each chunk with its results, in input order."""

    workers: int

    def run(self, stage: Stage, chunks: Iterable[Chunk], *, timeout: float
            ) -> Iterator[tuple[Chunk, list[Prepared]]]: ...

    def close(self) -> None: ...


def _reason(exc: BaseException | None, *, exitcode: int | None = None, timeout: float) -> str:
    """Why a lone document failed, in one line."""
    if exitcode == EXIT_HUNG or isinstance(exc, _Hung):
        return f"analysis did not finish within {timeout:g} s; its worker was stopped"
    if exitcode is not None:
        if exitcode < 0:
            try:
                name = signal.Signals(-exitcode).name
            except ValueError:
                name = f"signal {-exitcode}"
            return f"analysis crashed its worker (killed by {name})"
        return f"analysis crashed its worker (exit code {exitcode})"
    if exc is not None and type(exc).__name__ == "KilledWorker":
        return (f"analysis crashed its worker, or did not finish within {timeout:g} s "
                "(the Dask worker died running it)")
    text = " ".join(str(exc).split()) if exc is not None else ""
    kind = type(exc).__name__ if exc is not None else "error"
    return f"analysis failed: internal error ({kind}: {text})"


class Watchdog:
    """Ends this worker process when ``tick`` has not been called for ``timeout`` seconds.

    Runs in a thread, so it also stops a stage stuck in a loop that never returns;
    the process exits with :data:`EXIT_HUNG` and its executor reports the document.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._last = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="counterpoint-watchdog",
                                        daemon=True)
        self._thread.start()

    def tick(self) -> None:
        self._last = time.monotonic()

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(min(1.0, self.timeout / 4)):
            if time.monotonic() - self._last > self.timeout:
                logging.getLogger(__name__).error("no progress for %.0f s: stopping this worker",
                                                  self.timeout)
                os._exit(EXIT_HUNG)


# --- in this process ----------------------------------------------------------------------


class _Hung(Exception):
    """Raised by the alarm in the main thread when a stage stops ticking."""


class InProcess:
    """Runs chunks here, one after another. In the main thread a stage that stops
    ticking for ``timeout`` seconds is interrupted (SIGALRM); elsewhere there is no
    time limit."""

    workers = 1

    def run(self, stage: Stage, chunks: Iterable[Chunk], *, timeout: float
            ) -> Iterator[tuple[Chunk, list[Prepared]]]:
        loaded = False
        for chunk in chunks:
            if chunk.documents and not loaded:
                warm()  # before the clock starts: loading is not a hang
                loaded = True
            yield chunk, self._prepare(stage, chunk.documents, timeout)

    def _prepare(self, stage: Stage, documents: list[Document], timeout: float
                 ) -> list[Prepared]:
        if not documents:
            return []
        try:
            return _with_alarm(stage, documents, timeout)
        except FATAL:
            raise
        except Exception as exc:
            if len(documents) == 1:
                log.debug("document failed alone", exc_info=True)
                return [Prepared.failed(documents[0], _reason(exc, timeout=timeout))]
            return [p for d in documents for p in self._prepare(stage, [d], timeout)]

    def close(self) -> None:
        return None


def _with_alarm(stage: Stage, documents: Sequence[Document], timeout: float) -> list[Prepared]:
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer"):
        return stage(documents, lambda: None)

    def hung(signum: int, frame: Any) -> None:
        raise _Hung(f"no progress for {timeout:g} s")

    def tick() -> None:
        signal.setitimer(signal.ITIMER_REAL, timeout)

    previous = signal.signal(signal.SIGALRM, hung)
    tick()
    try:
        return stage(documents, tick)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- a pool of processes ------------------------------------------------------------------


def _worker_main(stage: Stage, tasks: Any, results: Any, wid: int, timeout: float) -> None:
    """A pool worker: load the models once, then prepare chunks until told to stop."""
    try:
        worker_setup()
    except BaseException as exc:  # the installation is broken: say so and stop
        results.put(("fatal", wid, None, _portable(exc)))
        return
    results.put(("ready", wid, None, None))
    while True:
        task = tasks.get()
        if task is None:
            return
        key, documents = task
        watchdog = Watchdog(timeout)
        try:
            results.put(("done", wid, key, stage(documents, watchdog.tick)))
        except BaseException as exc:
            results.put(("error", wid, key, _portable(exc)))
        finally:
            watchdog.stop()


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it pickles, else a plain one with its message."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


@dataclass
class _Worker:
    process: Any
    tasks: Any
    task: tuple[tuple[int, int | None], list[Document]] | None = None
    since: float = 0.0
    ready: bool = False
    done: int = 0


@dataclass
class _Pending:
    chunk: Chunk
    parts: list[list[Prepared] | None] | None = None  # set once split into single documents
    whole: list[Prepared] | None = None


class ProcessPool:
    """``workers`` processes (spawned, so nothing half-initialised is inherited), each
    loading the models once. A worker that dies or hangs is replaced, and so is one
    that has prepared ``recycle_after`` chunks."""

    def __init__(self, workers: int, *, start_method: str = "spawn",
                 recycle_after: int = CHUNKS_PER_WORKER) -> None:
        if workers < 1:
            raise ConfigError(f"--workers must be 1 or more, not {workers}")
        import multiprocessing

        self.workers = workers
        self.recycle_after = recycle_after
        self._context: Any = multiprocessing.get_context(start_method)
        self._pool: dict[int, _Worker] = {}
        self._results: Any = None
        self._next_id = 0

    def _spawn(self, stage: Stage, timeout: float) -> None:
        tasks = self._context.SimpleQueue()
        process = self._context.Process(
            target=_worker_main, args=(stage, tasks, self._results, self._next_id, timeout),
            name=f"counterpoint-worker-{self._next_id}", daemon=True)
        process.start()
        self._pool[self._next_id] = _Worker(process=process, tasks=tasks)
        self._next_id += 1

    def run(self, stage: Stage, chunks: Iterable[Chunk], *, timeout: float
            ) -> Iterator[tuple[Chunk, list[Prepared]]]:
        self._results = self._context.Queue()
        for _ in range(self.workers):
            self._spawn(stage, timeout)
        source = iter(chunks)
        exhausted = False
        pending: dict[int, _Pending] = {}  # by chunk seq, in input order
        order: deque[int] = deque()
        retries: deque[tuple[tuple[int, int | None], list[Document]]] = deque()
        try:
            while True:
                idle = self._idle()
                while retries and idle:  # documents of a failed chunk, one by one
                    self._give(idle.pop(), retries.popleft())
                # new chunks while a worker is free and not too much waits to be handed back
                while idle and not exhausted and len(order) < AHEAD * self.workers:
                    chunk = next(source, None)
                    if chunk is None:
                        exhausted = True
                        break
                    pending[chunk.seq] = _Pending(chunk)
                    order.append(chunk.seq)
                    if chunk.documents:
                        self._give(idle.pop(), ((chunk.seq, None), chunk.documents))
                    else:
                        pending[chunk.seq].whole = []
                while order and _finished(pending[order[0]]):
                    item = pending.pop(order.popleft())
                    yield item.chunk, _results_of(item)
                if exhausted and not order:
                    return
                if any(w.task for w in self._pool.values()):
                    self._collect(pending, retries, stage, timeout)
        finally:
            self.close()

    def _idle(self) -> list[_Worker]:
        return [w for w in self._pool.values() if w.task is None]

    def _retire(self, wid: int, stage: Stage, timeout: float) -> None:
        """Let a worker that has done its share go, and start a fresh one."""
        worker = self._pool.pop(wid)
        with contextlib.suppress(OSError, ValueError):
            worker.tasks.put(None)
        # gone before its successor loads the models: never three workers' memory at once
        worker.process.join(30)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(5)
        self._spawn(stage, timeout)

    def _give(self, worker: _Worker, task: tuple[tuple[int, int | None], list[Document]]
              ) -> None:
        worker.task = task
        worker.since = time.monotonic()
        worker.tasks.put(task)

    def _collect(self, pending: dict[int, _Pending],
                 retries: deque[tuple[tuple[int, int | None], list[Document]]],
                 stage: Stage, timeout: float) -> None:
        """Wait briefly for a message from a worker; notice dead and stuck workers."""
        try:
            kind, wid, key, payload = self._results.get(timeout=0.5)
        except queue.Empty:
            self._check_health(pending, retries, stage, timeout)
            return
        self._check_health(pending, retries, stage, timeout)
        worker = self._pool.get(wid)
        if kind == "fatal":
            raise payload if isinstance(payload, CounterpointError) else ConfigError(
                f"a worker could not start: {payload}")
        if worker is None:
            return
        if kind == "ready":
            worker.ready = True
            worker.since = time.monotonic()
            return
        worker.task = None
        worker.done += 1
        if worker.done >= self.recycle_after:
            self._retire(wid, stage, timeout)
        if kind == "done":
            _place(pending, key, payload)
        elif isinstance(payload, FATAL):
            raise payload
        else:
            self._failed(pending, retries, key, _reason(payload, timeout=timeout))

    def _check_health(self, pending: dict[int, _Pending],
                      retries: deque[tuple[tuple[int, int | None], list[Document]]],
                      stage: Stage, timeout: float) -> None:
        now = time.monotonic()
        for wid, worker in list(self._pool.items()):
            exitcode = worker.process.exitcode
            # the watchdog stops a hung worker; this catches one stuck where even its
            # watchdog cannot run
            stuck = (worker.task is not None and worker.ready
                     and now - worker.since > timeout * (len(worker.task[1]) + 2))
            if exitcode is None and not stuck:
                continue
            if not worker.ready and not stuck:
                raise ConfigError(f"a worker process died while loading the models "
                                  f"(exit code {exitcode})")
            if stuck:
                worker.process.kill()
                worker.process.join(5)
                exitcode = EXIT_HUNG
            del self._pool[wid]
            if worker.task is not None:
                key, _ = worker.task
                self._failed(pending, retries, key, _reason(None, exitcode=exitcode,
                                                            timeout=timeout))
            self._spawn(stage, timeout)

    def _failed(self, pending: dict[int, _Pending],
                retries: deque[tuple[tuple[int, int | None], list[Document]]],
                key: tuple[int, int | None], reason: str) -> None:
        seq, part = key
        item = pending[seq]
        documents = item.chunk.documents
        if part is None and len(documents) > 1:
            item.parts = [None] * len(documents)
            retries.extend(((seq, i), [d]) for i, d in enumerate(documents))
            return
        document = documents[0 if part is None else part]
        log.debug("%s: %s", document.path, reason)
        _place(pending, key, [Prepared.failed(document, reason)])

    def close(self) -> None:
        for worker in self._pool.values():
            if worker.process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    worker.tasks.put(None)
        deadline = time.monotonic() + 5
        for worker in self._pool.values():
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(5)
        self._pool.clear()


def _place(pending: dict[int, _Pending], key: tuple[int, int | None],
           results: list[Prepared]) -> None:
    seq, part = key
    item = pending[seq]
    if part is None:
        item.whole = results
    elif item.parts is not None:
        item.parts[part] = results


def _finished(item: _Pending) -> bool:
    if item.whole is not None:
        return True
    return item.parts is not None and all(p is not None for p in item.parts)


def _results_of(item: _Pending) -> list[Prepared]:
    if item.whole is not None:
        return item.whole
    assert item.parts is not None
    return [p for part in item.parts if part is not None for p in part]


# --- Dask ---------------------------------------------------------------------------------


def _on_dask_worker(stage: Stage, documents: list[Document], timeout: float) -> list[Prepared]:
    """A Dask task: prepare one chunk, watched (a hang ends the worker; its nanny
    starts a new one and the scheduler reports the task's worker as killed)."""
    worker_setup()
    watchdog = Watchdog(timeout)
    try:
        return stage(documents, watchdog.tick)
    finally:
        watchdog.stop()


class DaskExecutor:
    """Chunks as tasks on a Dask cluster: ``address`` of a running scheduler, or
    ``"local"`` for a ``LocalCluster`` of ``workers`` processes (one thread each).

    On the local cluster a task whose worker dies fails at once, and the workers are
    restarted (between chunks, nothing in flight) each time they have prepared
    ``recycle_after`` chunks apiece, as pool workers are; on a cluster of your own,
    Dask's ``distributed.scheduler.allowed-failures`` decides how many workers a
    poison document may take down before it is reported, and workers are left as
    they are.
    """

    def __init__(self, address: str, *, workers: int = 2,
                 recycle_after: int = CHUNKS_PER_WORKER) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - a pinned dependency
            raise ConfigError("Dask is not installed; run `bash scripts/setup.sh`") from exc
        # Dask logs each connection at INFO; a run reports on its own
        logging.getLogger("distributed").setLevel(logging.WARNING)
        self._cluster: Any = None
        self.recycle_after = recycle_after
        if address == "local":
            if workers < 1:
                raise ConfigError(f"--workers must be 1 or more, not {workers}")
            # one task per worker at a time, so a worker that dies takes only the task it
            # was running with it; that task fails at once
            with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                                  "distributed.scheduler.worker-saturation": 1.0}):
                self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=workers, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR)
            self._client: Any = Client(self._cluster)  # type: ignore[no-untyped-call]
        else:
            try:
                self._client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError) as exc:
                raise ConfigError(f"cannot reach the Dask scheduler at {address}: "
                                  f"{' '.join(str(exc).split())}") from exc
        info = self._client.scheduler_info()
        self.workers = max(1, len(info.get("workers", {})))
        self._setup()

    def _setup(self) -> None:
        """The models, once per worker, before the first chunk."""
        try:
            self._client.run(worker_setup)
        except Exception as exc:
            self.close()
            raise ConfigError(f"the Dask workers could not load the models: {exc}") from exc

    def run(self, stage: Stage, chunks: Iterable[Chunk], *, timeout: float
            ) -> Iterator[tuple[Chunk, list[Prepared]]]:
        window: deque[tuple[Chunk, Any]] = deque()
        submitted = 0
        for chunk in chunks:
            if self._cluster is not None and submitted >= self.recycle_after * self.workers:
                yield from self._drain(stage, window, timeout, keep=0)
                self._recycle()
                submitted = 0
            window.append((chunk, self._submit(stage, chunk.documents, timeout)))
            submitted += 1
            yield from self._drain(stage, window, timeout, keep=AHEAD * self.workers - 1)
        yield from self._drain(stage, window, timeout, keep=0)

    def _drain(self, stage: Stage, window: deque[tuple[Chunk, Any]], timeout: float, *,
               keep: int) -> Iterator[tuple[Chunk, list[Prepared]]]:
        """Gather the oldest chunks in flight until ``keep`` are left."""
        while len(window) > keep:
            first, future = window.popleft()
            yield first, self._gather(stage, first.documents, future, timeout)

    def _submit(self, stage: Stage, documents: list[Document], timeout: float) -> Any:
        if not documents:
            return None
        return self._client.submit(_on_dask_worker, stage, documents, timeout, pure=False)

    def _gather(self, stage: Stage, documents: list[Document], future: Any, timeout: float,
                *, retried: bool = False) -> list[Prepared]:
        if future is None:
            return []
        try:
            return list(future.result())
        except FATAL:
            raise
        except Exception as exc:
            if len(documents) == 1:
                if not retried and type(exc).__name__ == "KilledWorker":
                    # its worker may have died of another task: once more, on its own
                    return self._gather(stage, documents,
                                        self._submit(stage, documents, timeout), timeout,
                                        retried=True)
                return [Prepared.failed(documents[0], _reason(exc, timeout=timeout))]
            singles = [self._submit(stage, [d], timeout) for d in documents]
            return [p for d, f in zip(documents, singles, strict=True)
                    for p in self._gather(stage, [d], f, timeout)]

    def _recycle(self) -> None:
        """Fresh worker processes for the local cluster, models loaded."""
        try:
            self._client.restart()
        except Exception as exc:
            self.close()
            raise ConfigError(f"the Dask workers could not be restarted: {exc}") from exc
        self._setup()

    def close(self) -> None:
        client, cluster = getattr(self, "_client", None), self._cluster
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


def make_executor(workers: int = 1, dask: str | None = None) -> Executor:
    """The executor the CLI options ask for: Dask when ``dask`` is given, a pool for
    two or more workers, else this process."""
    if dask:
        return DaskExecutor(dask, workers=workers)
    if workers > 1:
        return ProcessPool(workers)
    if workers < 1:
        raise ConfigError(f"--workers must be 1 or more, not {workers}")
    return InProcess()

