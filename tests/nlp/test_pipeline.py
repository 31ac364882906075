"""The spaCy pipeline is the packaged small English model, loaded once."""

from __future__ import annotations

from counterpoint.nlp.pipeline import load_nlp, model_info, parse, parse_many


def test_model_is_the_pinned_small_english_pipeline() -> None:
    meta = load_nlp().meta
    assert meta["lang"] == "en"
    assert meta["version"] == "3.8.0"
    assert "core_web_sm" in meta["name"]
    assert {"parser", "ner", "tagger"} <= set(load_nlp().pipe_names)
    assert model_info()["version"] == "3.8.0"


def test_loaded_once_per_process() -> None:
    assert load_nlp() is load_nlp()


def test_parse_many_keeps_order_and_finds_entities() -> None:
    texts = ["Vladimir Putin met Xi Jinping in Moscow.", "", "The court issued a warrant."]
    docs = list(parse_many(texts, batch_size=2))
    assert [d.text for d in docs] == texts
    people = {e.text for e in docs[0].ents if e.label_ == "PERSON"}
    assert "Vladimir Putin" in people
    assert parse("Beijing refused.")[0].text == "Beijing"


def test_a_heading_is_its_own_sentence() -> None:
    doc = parse("A Visit amid the Specter of War\n\nFor some weeks, Beijing has been busy.")
    assert [s.text.strip() for s in doc.sents] == [
        "A Visit amid the Specter of War", "For some weeks, Beijing has been busy."]
