"""Duplicates: exact copies, near copies, republications and translations."""

from __future__ import annotations

import pickle
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterpoint.corpus.dedupe import (
    MIN_NEAR_WORDS,
    NEAR_THRESHOLD,
    SIGNATURE_SCHEME,
    DocText,
    DuplicateGroup,
    DuplicateIndex,
    Member,
    exact_key,
    from_signature,
    group_duplicates,
    link_provenance,
    normalize,
    shingles,
    signature,
    similarity,
)
from counterpoint.schema import Document, Provenance

# A wire story on Xi Jinping's visit to Moscow, written for these tests.
VISIT = """\
Chinese President Xi Jinping arrived in Moscow on Monday for a three-day state visit, his \
first trip abroad since securing a third term, and was greeted at the airport by Russian \
officials and a military band.

The Kremlin said Xi and President Vladimir Putin would hold an informal dinner on the first \
evening before formal talks on Tuesday, covering energy supplies, trade settled in national \
currencies and what Moscow called the situation around Ukraine.

Beijing has presented itself as a neutral party and last month published a twelve-point \
position paper calling for a ceasefire and peace talks. Western governments reacted coolly, \
saying any ceasefire that froze the front line would reward the invasion.

In an article published in a Russian newspaper before his arrival, Xi wrote that the two \
countries were good neighbours and reliable partners, and that there was no universal model \
of governance and no country had the right to dictate the international order.

Trade between the two countries reached a record last year as Russia sold more oil and gas to \
Chinese buyers at a discount, while Chinese cars, phones and machinery filled the gap left by \
departing Western brands.

Analysts in Washington said the visit would be watched for any sign that Beijing was ready to \
supply weapons to Russia, which Chinese officials have repeatedly denied. European diplomats \
said they expected warm words but few concrete commitments on the war.

The visit comes days after the International Criminal Court issued an arrest warrant for \
Putin, a move that Moscow dismissed as legally void and that Beijing urged the court to \
reconsider in the interest of impartiality.
"""

# The same story as another outlet ran it: new headline, a few sentences edited.
VISIT_EDITED = (VISIT
                .replace("on Monday for a three-day state visit",
                         "on Monday afternoon for a three-day state visit")
                .replace("Western governments reacted coolly,",
                         "Western governments reacted with scepticism,")
                .replace("Trade between the two countries reached a record last year",
                         "Bilateral trade hit an all-time high in 2022")
                .replace("few concrete commitments on the war.",
                         "little in the way of concrete commitments."))

# Another outlet's own report of the same event: same facts, its own words.
VISIT_OTHER = """\
Xi Jinping landed in the Russian capital on Monday, beginning a visit that the Chinese leader \
described as a journey of friendship, cooperation and peace.

Vladimir Putin welcomed his guest at the Kremlin for a one-on-one meeting that lasted more \
than four hours, according to Russian state media, with the main round of negotiations \
scheduled for the following day.

The Russian president told Xi that he had studied Beijing's proposals for settling the \
conflict in Ukraine with respect and was open to discussing them, although Kyiv has said that \
any settlement must begin with a full Russian withdrawal.

Officials in Washington warned that a call for a ceasefire now would only allow Russian \
forces to dig in and prepare new offensives, and said they would judge China by its actions \
rather than its statements.
"""

DISCLAIMER = """\
The views expressed in this article are those of the author alone and do not necessarily \
reflect the positions of the editorial board, the publisher or any of its funders, partners \
or affiliated institutions, which accept no responsibility for errors or omissions in the \
text above."""

FLOODS = """\
Heavy rain caused the river to burst its banks in three northern towns on Thursday, forcing \
hundreds of families to leave their homes. Emergency crews used boats to reach residents \
trapped on upper floors, and the regional government opened schools and sports halls as \
temporary shelters while forecasters warned of more storms over the weekend."""

BUDGET = """\
The finance minister presented a budget on Wednesday that raises spending on hospitals and \
rail lines while cutting subsidies for fuel. Opposition parties said the plan relied on \
optimistic growth forecasts, and business groups asked for clearer rules on a proposed tax on \
windfall profits before the bill reaches parliament next month."""


def doc(doc_id: str, body: str, **fields: object) -> DocText:
    return DocText(id=doc_id, body=body, **fields)  # type: ignore[arg-type]


def only_group(groups: list[DuplicateGroup]) -> DuplicateGroup:
    assert len(groups) == 1, groups
    return groups[0]


# --- text ---------------------------------------------------------------------------------


def test_normalize_folds_case_punctuation_and_whitespace() -> None:
    assert normalize("  Xi’s VISIT —\n\tto  Moscow!! ") == "xi s visit to moscow"
    assert normalize("Ｆｕｌｌ-width") == "full width"


def test_shingles_are_five_word_windows() -> None:
    found = shingles("One two three four five six. One two three four five six.")
    assert found[0] == b"one two three four five"
    assert len(found) == len(set(found)) == 6  # repeats counted once
    assert shingles("Too short.") == [b"too short"]
    assert shingles("  ") == []


def test_signatures_are_bytes_that_round_trip() -> None:
    sig = signature(VISIT)
    assert isinstance(sig, bytes)
    assert len(sig) == 532  # 20-byte header (words, length, body hash) + 128 uint32
    assert signature(VISIT) == sig  # deterministic
    assert from_signature(sig).jaccard(from_signature(signature(VISIT.upper()))) == 1.0
    assert similarity(sig, signature(VISIT_EDITED)) >= NEAR_THRESHOLD
    assert similarity(sig, signature(VISIT_OTHER)) < 0.2
    with pytest.raises(ValueError):
        from_signature(sig[:-1])
    with pytest.raises(ValueError):
        similarity(b"\x01" + sig[1:], sig)  # another version


# --- exact and near -----------------------------------------------------------------------


def test_copies_differing_in_case_and_whitespace_are_exact() -> None:
    messy = "\n\n".join("  ".join(p.upper().split()) for p in VISIT.split("\n\n"))
    group = only_group(group_duplicates([
        doc("a", VISIT, published="2023-03-20"),
        doc("b", messy, published="2023-03-21"),
        doc("c", VISIT.replace("\n\n", "\n"), title="Another headline"),
    ]))
    assert group.canonical == "a"
    assert group.members == (Member("b", "exact", 1.0, "a"), Member("c", "exact", 1.0, "a"))
    assert exact_key(VISIT) == exact_key(messy)


def test_an_edited_copy_with_a_new_headline_is_near() -> None:
    group = only_group(group_duplicates([
        doc("wire", VISIT, title="Xi arrives in Moscow", published="2023-03-20"),
        doc("paper", VISIT_EDITED, title="Chinese leader lands in Russia for talks",
            published="2023-03-20"),
    ]))
    (member,) = group.members
    assert member.relation == "near"
    assert member.similarity is not None
    assert NEAR_THRESHOLD <= member.similarity < 1.0


def test_different_articles_on_the_same_event_are_not_grouped() -> None:
    assert group_duplicates([
        doc("wire", VISIT, title="Xi arrives in Moscow", published="2023-03-20"),
        doc("other", VISIT_OTHER, title="Xi in Moscow", published="2023-03-20"),
    ]) == []


@pytest.mark.parametrize("where", ["end", "start"])
def test_articles_sharing_only_a_boilerplate_paragraph_are_not_grouped(where: str) -> None:
    assert len(DISCLAIMER.split()) >= 40

    def with_disclaimer(text: str) -> str:
        return f"{text}\n\n{DISCLAIMER}" if where == "end" else f"{DISCLAIMER}\n\n{text}"

    docs = [doc("floods", with_disclaimer(FLOODS), publisher="Daily Ledger"),
            doc("budget", with_disclaimer(BUDGET), publisher="Daily Ledger"),
            doc("visit", with_disclaimer(VISIT_OTHER), publisher="Daily Ledger")]
    assert group_duplicates(docs) == []
    assert similarity(signature(docs[0].body), signature(docs[1].body)) < 0.5


def test_short_bodies_group_only_as_exact_copies_with_the_same_title() -> None:
    stub = "Subscribe to continue reading this article."
    assert len(stub.split()) < MIN_NEAR_WORDS
    docs = [
        doc("s1", stub, title="Xi arrives in Moscow"),
        doc("s2", stub, title="Budget cuts fuel subsidies"),
        doc("s3", stub.upper(), title="XI ARRIVES IN MOSCOW"),
        doc("e1", "", title="One"),
        doc("e2", "", title="Two"),
    ]
    group = only_group(group_duplicates(docs))
    assert group.ids == ["s1", "s3"]
    assert group.members[0].relation == "exact"
    rebuilt = DuplicateIndex()  # from signatures and titles alone
    for d in docs:
        rebuilt.add(DocText(id=d.id, body="", title=d.title), signature=signature(d.body))
    assert rebuilt.groups() == [group]


# --- the canonical document ---------------------------------------------------------------


def test_the_canonical_is_the_earliest_then_the_longest_then_the_smallest_id() -> None:
    longer = VISIT + "\nMore talks are expected in the autumn."
    group = only_group(group_duplicates([
        doc("z", VISIT, published="2023-03-20"),
        doc("y", longer, published="2023-03-20"),
        doc("x", VISIT, published="2023-03-21"),
        doc("w", VISIT),  # undated: after every dated copy
    ]))
    assert group.canonical == "y"
    assert group.ids == ["y", "z", "x", "w"]
    assert {m.id: m.of for m in group.members} == {"z": "y", "x": "z", "w": "z"}
    assert [m.relation for m in group.members] == ["near", "exact", "exact"]
    tie = only_group(group_duplicates([doc("b", VISIT), doc("a", VISIT), doc("c", VISIT)]))
    assert tie.canonical == "a"


# --- provenance ---------------------------------------------------------------------------

ORIGINAL_FR = """\
Le président chinois Xi Jinping est arrivé lundi à Moscou pour une visite d'État de trois \
jours, la première depuis sa réélection, alors que la guerre en Ukraine entre dans sa \
deuxième année et que Pékin se présente comme un médiateur."""

TRANSLATION_EN = """\
Chinese president Xi Jinping arrived in Moscow on Monday for a three-day state visit, his \
first since his re-election, as the war in Ukraine enters its second year and Beijing \
presents itself as a mediator."""


def _translation(**provenance: str | None) -> DocText:
    fields = {"relation": "translation", "language": "French", "date": "2023-03-21",
              "source": "Révolution Permanente"} | provenance
    return doc("left-voice", TRANSLATION_EN, title="What's Behind Xi Jinping's Visit to Moscow?",
               published="2023-03-23", language="en", publisher="Left Voice",
               provenance=[Provenance(**fields)])  # type: ignore[arg-type]


def _original(doc_id: str = "rp", **fields: object) -> DocText:
    values: dict[str, object] = {
        "title": "Xi Jinping à Moscou", "published": "2023-03-21", "language": "fr",
        "url": "https://www.revolutionpermanente.fr/Xi-Jinping-a-Moscou"} | fields
    return doc(doc_id, ORIGINAL_FR, **values)


def test_a_translation_links_to_the_original_its_provenance_names() -> None:
    translation = _translation()
    other = doc("other", VISIT, publisher="Reuters", published="2023-03-21", language="en")
    assert link_provenance(translation, [_original(), other, translation]) == "rp"
    group = only_group(group_duplicates([translation, other, _original()]))
    assert group.canonical == "rp"
    assert group.members == (Member("left-voice", "translation", None, "rp"),)


def test_the_source_may_be_named_by_publisher_or_by_url() -> None:
    by_publisher = _original(url=None, publisher="Revolution permanente")
    assert link_provenance(_translation(), [by_publisher]) == "rp"
    url = "https://www.revolutionpermanente.fr/Xi-Jinping-a-Moscou"
    same_site = _original("rp2", url="https://www.revolutionpermanente.fr/autre")
    same_site.body = "Un tout autre article publié le même jour sur un autre sujet " * 3
    assert link_provenance(_translation(source=url, date=None), [same_site, _original()]) == "rp"
    assert link_provenance(_translation(source="revolutionpermanente.fr"), [_original()]) == "rp"


def test_no_link_when_date_language_or_source_disagree() -> None:
    assert link_provenance(_translation(), [_original(published="2023-02-10")]) is None
    assert link_provenance(_translation(), [_original(language="de")]) is None
    assert link_provenance(_translation(source="Le Monde"), [_original()]) is None
    assert link_provenance(_translation(relation="response to"), [_original()]) is None
    # the date is checked only when both are known
    assert link_provenance(_translation(date=None), [_original()]) == "rp"
    assert link_provenance(_translation(), [_original(published=None)]) == "rp"


def test_no_link_when_two_different_documents_fit_equally() -> None:
    second = _original("rp2", title="Autre article du jour",
                       url="https://www.revolutionpermanente.fr/autre")
    second.body = "Un tout autre article publié le même jour sur un autre sujet " * 3
    assert link_provenance(_translation(), [_original(), second]) is None
    copy = _original("rp-copy")  # the same article stored twice is no ambiguity
    assert link_provenance(_translation(), [_original(), copy]) == "rp"


def test_a_declared_copy_is_never_canonical() -> None:
    # the original's date is unknown, the translation's is: still the original leads
    group = only_group(group_duplicates([_translation(date=None), _original(published=None)]))
    assert group.canonical == "rp"


def test_a_republication_links_by_publisher_and_keeps_its_similarity() -> None:
    original = doc("fp", VISIT, publisher="Foreign Policy Review", published="2023-03-20")
    repost = doc("blog", VISIT_EDITED, publisher="Some Blog", published="2023-03-25",
                 provenance=[Provenance(relation="originally appeared",
                                        source="Foreign Policy Review", date="2023-03-20")])
    group = only_group(group_duplicates([repost, original]))
    assert group.canonical == "fp"
    (member,) = group.members
    assert (member.id, member.relation, member.of) == ("blog", "republication", "fp")
    assert member.similarity is not None
    assert member.similarity >= NEAR_THRESHOLD


def test_from_document_reads_the_contract_fields() -> None:
    document = Document(path="x.txt", id="abc", title="T", body="B", publisher="P",
                        url="https://p.example/x", published="2023-03-21", language="en",
                        provenance=[Provenance(relation="translation", source="S")])
    text = DocText.from_document(document)
    assert (text.id, text.title, text.body, text.publisher, text.url, text.published,
            text.language) == ("abc", "T", "B", "P", "https://p.example/x", "2023-03-21", "en")
    assert text.provenance == document.provenance


# --- the incremental index ----------------------------------------------------------------


def _corpus() -> list[DocText]:
    messy = VISIT.upper().replace("\n\n", "\n")
    return [
        doc("wire", VISIT, title="Xi arrives", published="2023-03-20", publisher="Wire"),
        doc("wire-copy", messy, published="2023-03-21", publisher="Paper A"),
        doc("edited", VISIT_EDITED, title="Xi lands", published="2023-03-22",
            publisher="Paper B"),
        doc("other", VISIT_OTHER, published="2023-03-20", publisher="Paper C"),
        doc("floods", FLOODS + "\n\n" + DISCLAIMER, publisher="Daily Ledger"),
        doc("budget", BUDGET + "\n\n" + DISCLAIMER, publisher="Daily Ledger"),
        doc("budget-copy", BUDGET + "\n\n" + DISCLAIMER, publisher="Other Ledger"),
        _original(),
        _translation(),
    ]


def test_the_index_agrees_with_the_batch_on_shuffled_input() -> None:
    docs = _corpus()
    expected = group_duplicates(docs)
    assert [g.canonical for g in expected] == ["budget", "rp", "wire"]
    for seed in range(5):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        index = DuplicateIndex()
        returned = {d.id: index.add(d) for d in shuffled}
        assert index.groups() == expected
        assert len(index) == len(docs)
        # what add returned was the group at that moment; at the end, group_id agrees
        assert returned[shuffled[-1].id] == index.group_id(shuffled[-1].id)
    final = DuplicateIndex()
    for d in docs:
        final.add(d)
    assert final.group_id("wire-copy") == "wire"
    assert final.group_id("other") is None
    assert final.group_of("left-voice") == expected[1]
    assert final.group_of("unknown") is None


def test_add_returns_the_group_joined_and_is_idempotent() -> None:
    index = DuplicateIndex()
    assert index.add(doc("b", VISIT, published="2023-03-21")) is None
    assert index.add(doc("a", VISIT_EDITED, published="2023-03-20")) == "a"
    assert index.add(doc("a", VISIT_EDITED, published="2023-03-20")) == "a"
    assert index.add(doc("c", VISIT_OTHER)) is None
    assert len(index) == 3
    assert "a" in index


def test_the_index_pickles_and_rebuilds_from_stored_signatures() -> None:
    docs = _corpus()
    index = DuplicateIndex()
    for d in docs:
        index.add(d)
    assert pickle.loads(pickle.dumps(index)).groups() == index.groups()
    # a store keeps signatures (and SIGNATURE_SCHEME) and metadata, not bodies:
    # the index rebuilds from them without reading or hashing any body
    stored = {d.id: signature(d.body) for d in docs}
    rebuilt = DuplicateIndex()
    for d in reversed(docs):
        rebuilt.add(DocText(id=d.id, body="", title=d.title, published=d.published,
                            language=d.language, provenance=d.provenance, url=d.url,
                            publisher=d.publisher), signature=stored[d.id])
    assert rebuilt.groups() == index.groups()
    state = index.__getstate__()
    state["scheme"] = SIGNATURE_SCHEME + "-old"
    with pytest.raises(ValueError, match="rebuild"):
        DuplicateIndex().__setstate__(state)


# Small generated corpora: a few base texts, variants of them (word edits, case
# and spacing), publishers, dates and provenance lines naming a publisher.
_VOCABULARY = [f"w{i}" for i in range(120)]
_PUBLISHERS = ["Alpha News", "Beta Post", "Gamma Times"]
_DATES = [None, "2023-03-20", "2023-03-21", "2023-03-25"]


@st.composite
def corpora(draw: st.DrawFn) -> list[DocText]:
    bases = draw(st.lists(st.lists(st.sampled_from(_VOCABULARY), min_size=12, max_size=80),
                          min_size=1, max_size=3))
    count = draw(st.integers(min_value=1, max_value=12))
    docs = []
    for i in range(count):
        words = list(draw(st.sampled_from(bases)))
        for _ in range(draw(st.integers(min_value=0, max_value=4))):
            position = draw(st.integers(min_value=0, max_value=len(words) - 1))
            words[position] = draw(st.sampled_from(_VOCABULARY))
        body = " ".join(words)
        if draw(st.booleans()):
            body = "  " + body.upper().replace(" ", "\n", 3)
        provenance = []
        if draw(st.integers(min_value=0, max_value=3)) == 0:
            provenance = [Provenance(relation=draw(st.sampled_from(["translation",
                                                                    "republication"])),
                                     source=draw(st.sampled_from(_PUBLISHERS)),
                                     date=draw(st.sampled_from(_DATES)))]
        docs.append(DocText(id=f"d{i:02d}", body=body,
                            title=draw(st.sampled_from([None, "Headline", "Other"])),
                            published=draw(st.sampled_from(_DATES)),
                            publisher=draw(st.sampled_from([None, *_PUBLISHERS])),
                            provenance=provenance))
    return docs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), docs=corpora())
def test_groups_do_not_depend_on_insertion_order(data: st.DataObject,
                                                 docs: list[DocText]) -> None:
    expected = group_duplicates(docs)
    order = data.draw(st.permutations(docs))
    index = DuplicateIndex()
    for d in order:
        index.add(d)
    assert index.groups() == expected
    # every document is in at most one group, and groups have two or more
    seen = [i for g in expected for i in g.ids]
    assert len(seen) == len(set(seen))
    assert all(len(g.ids) >= 2 for g in expected)
