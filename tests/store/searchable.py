"""A small hand-built corpus for the search and vector tests: three outlets, claims, actors."""

from __future__ import annotations

import numpy as np

from counterpoint.schema import Actor, Analysis, CertaintyOut, Claim, Holder, MainEvent

XI = Actor(id="person:xi-jinping", name="Xi Jinping", type="person", country="CHN",
           aliases_seen=["Xi", "Xi Jinping", "习近平"], mentions=5)
PUTIN = Actor(id="person:vladimir-putin", name="Vladimir Putin", type="person", country="RUS",
              aliases_seen=["Putin", "ПУТИН"], mentions=3)
ZELENSKY = Actor(id="person:volodymyr-zelensky", name="Volodymyr Zelensky", type="person",
                 country="UKR", aliases_seen=["Zelensky"], mentions=1)
ICC = Actor(id="igo:icc", name="International Criminal Court", type="igo",
            aliases_seen=["ICC"], mentions=2)
UN = Actor(id="igo:un", name="United Nations", type="igo", aliases_seen=["UN"], mentions=2)
KREMLIN = Actor(id="org:kremlin", name="Kremlin", type="org", aliases_seen=["Kremlin"],
                mentions=4)

WIRE, REVUE, INSTITUTE = "wire-0001", "revue-0001", "institute-0001"

CLAIMS: dict[str, list[str]] = {
    WIRE: [
        "Sanctions on Russia will tighten after the visit, and sanctions already hurt Russia.",
        "The summit in Moscow ended with a joint statement on energy.",
        "Grain exports through the Black Sea resumed last week.",
    ],
    REVUE: [
        "Western governments discussed many economic topics at length, including trade, "
        "energy, tariffs, Russia and, briefly, sanctions.",
        "China's peace plan was rejected by Kyiv.",
        "Workers in several factories went on strike over wages.",
    ],
    INSTITUTE: [
        "Beijing wants a multipolar world order.",
        "The warrant issued by the court is illegal, the Kremlin says.",
        "Shipping insurers raised their premiums for the region.",
    ],
}


def claim(text: str, start: int = 0, holder: str = "the author") -> Claim:
    """An authorial claim."""
    return Claim(text=text, holder=Holder(name=holder, kind="author"), attribution="authorial",
                 certainty=CertaintyOut(label="certain", probability=1.0), start=start,
                 end=start + len(text))


def analysis(doc_id: str, texts: list[str], *, title: str, publisher: str | None,
             published: str | None, actors: list[Actor], main_event: str | None = None,
             path: str | None = None) -> Analysis:
    """An analysis whose body is its claims, one after another."""
    claims, offset = [], 0
    for text in texts:
        claims.append(claim(text, offset))
        offset += len(text) + 1
    return Analysis(path=path or f"corpus/{doc_id}.txt", id=doc_id, title=title,
                    publisher=publisher, published=published, body=" ".join(texts),
                    actors=actors, claims=claims,
                    main_event=MainEvent(type=main_event) if main_event else None)


def searchable() -> list[Analysis]:
    """The three documents: two dated, one (the institute's) undated."""
    return [
        analysis(WIRE, CLAIMS[WIRE], title="Xi meets Putin in Moscow", publisher="Meridian Wire",
                 published="2023-03-20", actors=[PUTIN, XI, KREMLIN], main_event="CONSULT"),
        analysis(REVUE, CLAIMS[REVUE], title="La visite de Xi", publisher="Revue Rouge",
                 published="2023-03-24", actors=[PUTIN.model_copy(update={"mentions": 4}),
                                                 ZELENSKY]),
        analysis(INSTITUTE, CLAIMS[INSTITUTE], title="Quick Comment: a warrant",
                 publisher="Utrikespolitiska institutet", published=None,
                 actors=[XI.model_copy(update={"mentions": 1}), ICC, UN, KREMLIN]),
    ]


def unit(index: int, dims: int = 16, noise: float = 0.0) -> np.ndarray:
    """The ``index``-th basis vector (optionally nudged toward the next one), normalised."""
    vector = np.zeros(dims, dtype=np.float32)
    vector[index % dims] = 1.0
    vector[(index + 1) % dims] += noise
    return vector / np.linalg.norm(vector)


def embed_by_hand(doc: Analysis, number: int, dims: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Distinct unit vectors: the lead gets basis vector ``4 * number``, claims the next ones."""
    lead = unit(4 * number, dims)
    claims = np.stack([unit(4 * number + 1 + i, dims) for i in range(len(doc.claims))])
    return lead, claims
