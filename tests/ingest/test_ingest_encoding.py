"""Text in any common encoding comes out as the characters its author wrote."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from counterpoint.config import Settings
from counterpoint.ingest import iter_items
from counterpoint.ingest.decode import decode_bytes
from counterpoint.schema import RawItem
from tests.conftest import CliResult

Cli = Callable[..., CliResult]

# A European story whose accents a reader would notice losing.
ACCENTED = (
    "Le président de la Confédération a déclaré à Genève que les négociations sur "
    "l'accord-cadre reprendraient après l'été, malgré les réserves exprimées par Zürich.",
    "Der Außenminister äußerte sich in München über die Gespräche: Über die Zukunft der "
    "Zusammenarbeit müsse man offen reden, sagte er vor Journalisten im Café Müller.",
    "In Málaga, the délégation from Bogotá was served crème brûlée before the evening "
    "session, where the señor from the ministry presented a draft of the joint communiqué.",
)


def _item(path: Path) -> RawItem:
    [item] = list(iter_items([str(path)], Settings()))
    assert isinstance(item, RawItem), item
    return item


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_latin1_text_dump(tmp_path: Path, cli: Cli, text_dump, encoding: str) -> None:
    path = tmp_path / "geneve.txt"
    path.write_bytes(text_dump("Genève: les négociations reprendront après l'été",
                               ACCENTED, byline="Par Zoë Müller").encode(encoding))
    assert _item(path).text.count("é") >= 10

    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["title"] == "Genève: les négociations reprendront après l'été"
    for paragraph in ACCENTED:
        assert paragraph in doc["body"]


def test_cp1252_punctuation(tmp_path: Path) -> None:
    # cp1252's 0x80-0x9f range: curly quotes, dashes, the euro sign
    text = ("The minister said the package was worth €4.5bn – “a fair price” – and "
            "that the talks’ outcome would be published on Friday.\n")
    path = tmp_path / "quote.txt"
    path.write_bytes(text.encode("cp1252"))
    assert _item(path).text == text


@pytest.mark.parametrize("sample", ["Café", "Café Müller in Zürich", ACCENTED[2]])
def test_short_latin1_is_not_mistaken_for_another_code_page(sample: str) -> None:
    # short Latin-1 text fits many code pages (cp1250 would give "crčme brűlée",
    # UTF-16 would give CJK); the web's default, cp1252, wins the tie
    assert decode_bytes(sample.encode("cp1252"), "sample.txt") == sample


def test_full_width_punctuation_is_kept() -> None:
    # a reader quoting a Chinese source needs its own commas, not ASCII ones
    text = "中国外交部发言人表示，双方将继续保持沟通。“我们欢迎一切有利于和平的努力。”"
    assert decode_bytes(text.encode("utf-8"), "zh.txt") == text


@pytest.mark.parametrize(("encoding", "text"), [
    ("cp1250", "Prezydent powiedział w poniedziałek, że rozmowy o przyszłości współpracy "
               "będą kontynuowane w Gdańsku i Łodzi po wakacjach letnich."),
    ("cp1251", "Президент России заявил в понедельник, что переговоры о будущем "
               "сотрудничества продолжатся в Москве после летних каникул."),
    ("koi8_r", "Президент России заявил в понедельник, что переговоры о будущем "
               "сотрудничества продолжатся в Москве после летних каникул."),
    ("gb18030", "中国国家主席习近平周一抵达莫斯科，开始对俄罗斯进行为期三天的国事访问。"),
    ("big5", "中國國家主席習近平週一抵達莫斯科，開始對俄羅斯進行為期三天的國事訪問。"),
    ("shift_jis", "習近平国家主席は月曜日にモスクワに到着し、"
                  "ロシアへの三日間の国賓訪問を開始した。"),
    ("cp1256", "وصل الرئيس الصيني إلى موسكو يوم الاثنين في زيارة دولة تستغرق ثلاثة أيام."),
])
def test_other_legacy_encodings_still_detected(tmp_path: Path, encoding: str,
                                               text: str) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    assert _item(path).text == text


def test_utf8_with_bom(tmp_path: Path, cli: Cli, text_dump) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text_dump("Zürich talks end", ACCENTED).encode("utf-8"))
    item = _item(path)
    assert not item.text.startswith("\ufeff")
    assert item.text.startswith("Home")

    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert "\ufeff" not in json.dumps(doc, ensure_ascii=False)
    assert doc["title"] == "Zürich talks end"


def test_utf8_bom_html(tmp_path: Path, cli: Cli, news_html) -> None:
    path = tmp_path / "bom.html"
    path.write_bytes(b"\xef\xbb\xbf" + news_html("Zürich talks end", ACCENTED).encode("utf-8"))
    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["format"] == "html"
    assert doc["title"] == "Zürich talks end"
    assert ACCENTED[1] in doc["body"]


def test_utf16_with_bom(tmp_path: Path, text_dump) -> None:
    path = tmp_path / "utf16.txt"
    text = text_dump("Zürich talks end", ACCENTED)
    path.write_bytes(text.encode("utf-16"))
    assert ACCENTED[0] in _item(path).text


def test_mojibake_is_repaired(tmp_path: Path, cli: Cli, text_dump) -> None:
    # UTF-8 bytes once read as Latin-1 and saved again as UTF-8: "CafÃ©"
    original = text_dump("Café owners in Genève protest new rules", ACCENTED)
    broken = original.encode("utf-8").decode("latin-1")
    assert "CafÃ©" in broken
    path = tmp_path / "mojibake.txt"
    path.write_text(broken, encoding="utf-8")

    assert _item(path).text == original

    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["title"] == "Café owners in Genève protest new rules"
    assert "Ã" not in doc["body"]
    assert ACCENTED[1] in doc["body"]


def test_mojibake_in_jsonl_values_is_repaired(tmp_path: Path, cli: Cli) -> None:
    # with json.dumps' default ensure_ascii=True the mojibake hides in \u escapes
    broken = [p.encode("utf-8").decode("latin-1") for p in ACCENTED]
    record = {"id": "m-1", "title": "CafÃ© owners protest", "text": "\n".join(broken)}
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="ascii")
    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["id"] == "m-1"
    assert doc["title"] == "Café owners protest"
    assert ACCENTED[0] in doc["body"]


def test_curly_quotes_are_kept(tmp_path: Path, cli: Cli, text_dump) -> None:
    quoted = ("“We will not accept any deal that ignores our security,” the minister said, "
              "adding that the country’s position had not changed since the talks began in "
              "‘good faith’ last spring.")
    path = tmp_path / "quotes.txt"
    path.write_text(text_dump("Minister rejects ‘any deal’ on security",
                              [quoted, *ACCENTED[:2]]), encoding="utf-8")
    assert quoted in _item(path).text

    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert quoted in doc["body"]
    assert doc["title"] == "Minister rejects ‘any deal’ on security"
    assert '"We will not' not in doc["body"]


def test_declared_charset_of_a_page_is_used(tmp_path: Path, news_html) -> None:
    # the same bytes read as declared (ISO-8859-15 has € at 0xa4)
    page = news_html("Budget of €2bn approved in Genève", ACCENTED, charset="iso-8859-15")
    data = page.encode("iso-8859-15")
    assert decode_bytes(data, "page.html", "iso-8859-15").count("€") == 2
