"""Where the database is, and one-line errors naming it (never its password)."""

from __future__ import annotations

from pathlib import Path

import pytest

from counterpoint.config import Settings
from counterpoint.errors import CounterpointError, DocumentNotFound, StoreError
from counterpoint.store import Store, default_path, resolve_url


def test_default_is_a_per_user_sqlite_file(tmp_path: Path) -> None:
    assert default_path({"XDG_DATA_HOME": str(tmp_path)}) == (
        tmp_path / "counterpoint" / "counterpoint.db")
    home_default = Path.home() / ".local" / "share" / "counterpoint" / "counterpoint.db"
    assert default_path({}) == home_default
    assert default_path({"XDG_DATA_HOME": "relative/dir"}) == home_default
    url = resolve_url(None, {"XDG_DATA_HOME": str(tmp_path)})
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "counterpoint" / "counterpoint.db")


def test_environment_then_argument(tmp_path: Path) -> None:
    env = {"COUNTERPOINT_DB": str(tmp_path / "env.db")}
    assert resolve_url(None, env).database == str(tmp_path / "env.db")
    assert resolve_url(str(tmp_path / "arg.db"), env).database == str(tmp_path / "arg.db")
    assert Settings.from_env(env).db == str(tmp_path / "env.db")
    assert Settings.from_env({}).db is None


def test_url_spellings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_url("local.db", {}).database == str(tmp_path / "local.db")
    assert resolve_url(f"sqlite:///{tmp_path}/u.db", {}).database == str(tmp_path / "u.db")
    assert resolve_url(":memory:", {}).database is None
    for scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        url = resolve_url(f"{scheme}://u:p@db.example:5432/corpus", {})
        assert url.drivername == "postgresql+psycopg"
        assert (url.host, url.port, url.database) == ("db.example", 5432, "corpus")


def test_the_default_file_is_created(tmp_path: Path) -> None:
    with Store.open(environ={"XDG_DATA_HOME": str(tmp_path)}) as store:
        assert store.count() == 0
        assert store.dialect == "sqlite"
    assert (tmp_path / "counterpoint" / "counterpoint.db").is_file()


def test_in_memory_store() -> None:
    with Store.open(":memory:") as store:
        assert store.count() == 0


def _one_line(exc: pytest.ExceptionInfo[StoreError]) -> str:
    message = str(exc.value)
    assert "\n" not in message
    assert isinstance(exc.value, CounterpointError)
    return message


def test_unreachable_postgres(closed_port: int) -> None:
    url = f"postgresql://analyst:s3cr%40t@127.0.0.1:{closed_port}/corpus"
    with pytest.raises(StoreError) as exc:
        Store.open(url)
    message = _one_line(exc)
    assert "s3cr" not in message
    assert f"postgresql://analyst:***@127.0.0.1:{closed_port}/corpus" in message
    assert "cannot open the database" in message
    assert exc.value.database == f"postgresql://analyst:***@127.0.0.1:{closed_port}/corpus"


def test_unwritable_sqlite_path(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError) as exc:
        Store.open(str(blocker / "counterpoint.db"))
    assert str(blocker / "counterpoint.db") in _one_line(exc)
    with pytest.raises(StoreError) as exc:
        Store.open(str(tmp_path))  # a directory, not a database file
    assert "cannot open the database" in _one_line(exc)


def test_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite " * 100)
    with pytest.raises(StoreError) as exc:
        Store.open(str(junk))
    assert str(junk) in _one_line(exc)


def test_bad_urls() -> None:
    with pytest.raises(StoreError, match="unsupported database") as exc:
        Store.open("mysql://root:hunter2@localhost/db")
    assert "hunter2" not in _one_line(exc)
    with pytest.raises(StoreError, match="not a valid database URL") as exc:
        Store.open("postgresql://me:hunter2@host:notaport/db")
    assert "hunter2" not in _one_line(exc)


def test_missing_document(store: Store) -> None:
    with pytest.raises(DocumentNotFound, match="no stored document has id 'nope'") as exc:
        store.get("nope")
    assert store.database in _one_line(exc)
    assert not store.has("nope")
    assert store.runs("nope") == []


def test_store_errors_cross_process_boundaries() -> None:
    import pickle

    error = DocumentNotFound("/data/c.db", "no stored document has id 'x'")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is DocumentNotFound
    assert (again.database, again.reason, str(again)) == (
        error.database, error.reason, str(error))
