"""The one exception hierarchy of counterpoint.

Every error a user can see derives from :class:`CounterpointError` and carries a
message that names the input and the reason, on one line::

    CounterpointError
    ├── ConfigError              bad setting or flag value
    ├── IngestError              an input could not be read        (has .source)
    │   ├── InputNotFound        no such file, or a glob matched nothing
    │   ├── UnsupportedInput     unknown extension, binary content
    │   ├── InputTooLarge        over the size cap
    │   ├── EmptyInput           nothing but whitespace
    │   ├── DecodeError          bytes that no encoding explains
    │   ├── ParseError           JSONL, WARC or feed that does not parse
    │   └── FetchError           a URL that could not be fetched
    ├── ExtractError             a page that yields no article    (has .source)
    ├── ReportError              a brief cannot be made or rendered
    └── StoreError               the database cannot be opened, read or written (has .database)
        ├── DocumentNotFound     no stored document has that id
        └── StoryNotFound        no story of the stored corpus has that id

Third-party exceptions are converted at the boundary with ``raise X(...) from exc``.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "CounterpointError",
    "DecodeError",
    "DocumentNotFound",
    "EmptyInput",
    "ExtractError",
    "FetchError",
    "IngestError",
    "InputNotFound",
    "InputTooLarge",
    "ParseError",
    "ReportError",
    "StoreError",
    "StoryNotFound",
    "UnsupportedInput",
]


class CounterpointError(Exception):
    """Base class of every error counterpoint raises on purpose."""


class ConfigError(CounterpointError):
    """A setting, flag or environment variable has a value we cannot use."""


class _SourcedError(CounterpointError):
    """An error about one input; ``str()`` gives ``"SOURCE: reason"``."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class IngestError(_SourcedError):
    """An input could not be found, read or decoded."""


class InputNotFound(IngestError):
    """A path does not exist, or a glob matched no file."""


class UnsupportedInput(IngestError):
    """An input whose kind we do not read (binary data, unknown extension)."""


class InputTooLarge(IngestError):
    """An input larger than the configured size cap."""


class EmptyInput(IngestError):
    """An input that holds no text."""


class DecodeError(IngestError):
    """Bytes that cannot be decoded as text in any plausible encoding."""


class ParseError(IngestError):
    """A structured input (JSONL line, WARC record, feed) that does not parse."""


class FetchError(IngestError):
    """A URL that could not be fetched (unreachable, timeout, HTTP error)."""


class ExtractError(_SourcedError):
    """A page from which no article text could be recovered."""


class ReportError(CounterpointError):
    """A brief cannot be built (no documents) or rendered (no WeasyPrint/Pango for PDF)."""


class StoreError(CounterpointError):
    """The store failed; ``str()`` gives ``"DATABASE: reason"`` on one line.

    ``database`` is the URL with any password masked, so the message is safe to
    print and to log.
    """

    def __init__(self, database: str, reason: str) -> None:
        self.database = database
        self.reason = reason
        super().__init__(f"{database}: {reason}")

    def __reduce__(self) -> tuple[type[StoreError], tuple[str, str]]:
        # Picklable, so errors cross process-pool and Dask boundaries intact.
        return type(self), (self.database, self.reason)


class DocumentNotFound(StoreError):
    """No stored document has the requested id."""


class StoryNotFound(StoreError):
    """No story of the stored corpus has the requested id."""


class EmbeddingError(CounterpointError):
    """The sentence-embedding model could not be loaded or run."""
