"""Hand-built analyses for the corpus stages: a few actors and a one-call event maker."""

from __future__ import annotations

from typing import Any

from counterpoint.schema import (
    Actor,
    ActorRef,
    Analysis,
    CertaintyOut,
    Claim,
    Event,
    Holder,
    MainEvent,
    Tone,
)

XI = Actor(id="person:xi-jinping", name="Xi Jinping", type="person", country="CHN",
           aliases_seen=["Xi Jinping", "Xi", "Chinese President Xi Jinping"], mentions=3)
PUTIN = Actor(id="person:vladimir-putin", name="Vladimir Putin", type="person", country="RUS",
              aliases_seen=["Vladimir Putin", "Putin"], mentions=2)
RUSSIA = Actor(id="state:RUS", name="Russia", type="state", country="RUS",
               aliases_seen=["Russia", "Moscow", "Kremlin"], mentions=4)
CHINA = Actor(id="state:CHN", name="China", type="state", country="CHN",
              aliases_seen=["China", "Beijing"], mentions=2)
UKRAINE = Actor(id="state:UKR", name="Ukraine", type="state", country="UKR",
                aliases_seen=["Ukraine", "Kyiv"], mentions=1)
IRAN = Actor(id="state:IRN", name="Iran", type="state", country="IRN",
             aliases_seen=["Iran", "Tehran"], mentions=1)
SAUDI = Actor(id="state:SAU", name="Saudi Arabia", type="state", country="SAU",
              aliases_seen=["Saudi Arabia", "Riyadh"], mentions=1)

ACTORS = (XI, PUTIN, RUSSIA, CHINA, UKRAINE, IRAN, SAUDI)


def ref(actor: Actor | str | None) -> ActorRef | None:
    """A reference to an actor (by id and name), or a bare name, or nothing."""
    if actor is None:
        return None
    if isinstance(actor, str):
        return ActorRef(name=actor)
    return ActorRef(id=actor.id, name=actor.name)


def event(kind: str, source: Actor | str | None, target: Actor | str | None,
          date: str | None = None, *, mode: str | None = None,
          sentence: str = "Something happened.", start: int = 0,
          **extra: Any) -> Event:
    """An event; the date's precision follows its shape (``2023-03`` is a month)."""
    precision = None
    if date is not None:
        precision = {4: "year", 7: "month", 10: "day"}[len(date)]
    return Event(type=kind, mode=mode, source=ref(source), target=ref(target), date=date,
                 date_precision=precision, sentence=sentence, start=start,
                 end=start + len(sentence), **extra)


def claim(text: str, start: int, *, tone: float = 0.0, holder: str = "the author") -> Claim:
    """An authorial claim at ``start``."""
    return Claim(text=text, holder=Holder(name=holder, kind="author"), attribution="authorial",
                 certainty=CertaintyOut(label="almost certain", probability=0.95), tone=tone,
                 start=start, end=start + len(text))


def analysis(doc_id: str, *events: Event, actors: tuple[Actor, ...] = ACTORS,
             published: str | None = "2023-03-25", publisher: str | None = None,
             title: str | None = None, url: str | None = None,
             claims: list[Claim] | None = None, tone: dict[str, float] | None = None,
             main_event: MainEvent | None = None, body: str | None = None,
             **extra: Any) -> Analysis:
    """A document analysis holding the given events; the body is their sentences."""
    text = body if body is not None else " ".join(e.sentence for e in events)
    return Analysis(path=f"{doc_id}.txt", id=doc_id, title=title or f"Title of {doc_id}",
                    publisher=publisher or f"Outlet {doc_id}", url=url, published=published,
                    language="en", body=text, actors=list(actors), events=list(events),
                    claims=claims or [], tone=Tone(by_actor=tone or {}), main_event=main_event,
                    **extra)
