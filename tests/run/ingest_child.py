"""Run by the resume test in a child process: ingest the test corpus with two workers,
slowly enough to be killed half-way (python -m tests.run.ingest_child DB)."""

from __future__ import annotations

import sys

from counterpoint.corpus.ingest import ingest
from counterpoint.run.executors import ProcessPool
from counterpoint.store import Store
from tests.run.stages import light
from tests.run.test_resume import corpus


def main() -> None:
    executor = ProcessPool(2)
    try:
        with Store.open(sys.argv[1]) as store:
            for outcome in ingest(corpus(), store, batch_size=2, executor=executor,
                                  stage=light):
                print(outcome.document_id, outcome.status, flush=True)
    finally:
        executor.close()


if __name__ == "__main__":
    main()
