"""Claims carry their holder: author, section expert, named speaker or unnamed group."""

from __future__ import annotations

from counterpoint.nlp.claims import VoiceSpan, extract_claims
from counterpoint.nlp.pipeline import parse
from counterpoint.schema import Voice


def _claims(text: str, **kwargs):  # type: ignore[no-untyped-def]
    return extract_claims(parse(text), **kwargs)


def test_authorial_sentence_belongs_to_the_author() -> None:
    [claim] = _claims("China has become the leading importer of Russian oil.", author="Ann Lee")
    assert (claim.holder.name, claim.holder.kind, claim.attribution) == (
        "Ann Lee", "author", "authorial")
    assert claim.certainty.label == "almost_certain"


def test_reported_speech_names_the_speaker() -> None:
    [claim] = _claims("The foreign minister said that the talks may resume next month.")
    assert claim.attribution == "reported"
    assert claim.holder.name == "foreign minister"
    assert claim.certainty.label == "roughly_even_chance"


def test_according_to_unnamed_analysts() -> None:
    [claim] = _claims("According to some analysts, Xi would rather extract meager concessions "
                      "from Putin.")
    assert claim.holder.kind == "unnamed"
    assert "analysts" in claim.holder.name
    assert claim.attribution == "reported"


def test_direct_quote_is_quoted() -> None:
    [claim] = _claims("“Both sides got the symbolism they came for,” said Elena Saryan, "
                      "a fellow at the institute.")
    assert claim.attribution == "quoted"
    assert claim.holder.name == "Elena Saryan"


def test_expert_section_holds_its_sentences() -> None:
    text = "The institute asked three experts about the visit. The war has put China in a bind."
    second = text.index("The war")
    voices = [VoiceSpan(second, len(text), Voice(name="Jonas Aurell", role="analyst"))]
    claims = _claims(text, voices=voices)
    assert [c.holder.kind for c in claims] == ["author", "expert"]
    assert claims[1].holder.name == "Jonas Aurell"
    assert text[claims[1].start:claims[1].end] == claims[1].text


def test_questions_and_fragments_are_not_claims() -> None:
    assert _claims("What do these developments signify?") == []
    assert _claims("Relaterade inlägg") == []


def test_guess_about_someones_hope_stays_with_the_writer() -> None:
    """Regression: "Putin might hope that …" made Putin the holder of the writer's guess."""
    [claim] = _claims("Putin might therefore hope that the meeting heralds more Chinese backing.",
                      author="Hugo von Essen")
    assert claim.holder.kind == "author"
    assert claim.certainty.label == "roughly_even_chance"


def test_passive_description_has_no_speaker() -> None:
    [claim] = _claims("Sino-Russian relations were described as having reached the highest "
                      "level in history.", author="Patrik Andersson")
    assert claim.holder.name == "Patrik Andersson"


def test_a_belief_inside_a_relative_clause_is_its_holders_claim() -> None:
    claims = _claims("Tariffs on Chinese steel, which the European Commission believes are "
                     "unlawful, will stay in place.", author="Ann Lee")
    held = [c for c in claims if c.holder.name != "Ann Lee"]
    assert len(held) == 1
    assert held[0].text == ("Tariffs on Chinese steel, which the European Commission believes "
                            "are unlawful")
    assert held[0].attribution == "reported"
    assert "European Commission" in held[0].holder.name
    assert claims[0].holder.name == "Ann Lee"


def test_speakers_described_by_a_relative_clause_are_not_beliefs() -> None:
    claims = _claims("Officials who said the border was closed have resigned.", author="Ann Lee")
    assert all("who said" not in c.text or c.start == 0 for c in claims)
    assert len(claims) == 1
