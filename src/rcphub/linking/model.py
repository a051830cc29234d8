"""The plain data the linker takes and gives: gazetteer entries, rules and mentions."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GazetteerEntry:
    """One linkable entity and the ways it is written, per language.

    ``kind`` is ``state``, ``process`` or ``org`` (the prefix of ``ref``). ``names`` match
    case-insensitively and through inflection; ``acronyms`` match only as written (case and all).
    """

    ref: str
    names: dict[str, list[str]]
    acronyms: dict[str, list[str]]
    kind: str


@dataclass(frozen=True)
class ContextRule:
    """Extra conditions on one written form in one language (``form`` as in the gazetteer).

    - ``not_followed_by``: the match is dropped when the text after it starts with one of
      these words or phrases, in any case (``Того, что`` and ``Того же`` are the pronoun;
      ``Того, Бенин`` and ``Того и Бенин`` are Togo);
    - ``preceded_by``: the match stands only when the text before it ends with one of these
      words or phrases — a word also counts without its Arabic clitics (Arabic ``مالي`` is also
      the adjective "financial": ``في مالي`` and ``وفي مالي`` are Mali, ``دعم مالي`` is not).
    """

    language: str
    form: str
    not_followed_by: frozenset[str] = frozenset()
    preceded_by: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LinkingRules:
    """Ambiguity rules that are not entities: see gazetteer.yaml ``rules``.

    - ``capitalised``: forms (per language) that link only when written with a capital initial
      (``Диалог на высоком уровне`` is the HLD, ``диалог на высоком уровне`` any such dialogue);
      single-word names and every state name in a cased language are always treated so;
    - ``blockers``: phrases that contain a name but mention no entity (``Gulf of Guinea``,
      ``发展中国家``); they win the longest match and yield nothing;
    - ``acronyms_never``: registry acronyms too ambiguous to link (``CP``, ``5+5``); they are
      left out of the entries :meth:`Gazetteer.from_session` builds;
    - ``context``: :class:`ContextRule` per written form.
    """

    capitalised: dict[str, frozenset[str]] = field(default_factory=dict)
    blockers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    acronyms_never: frozenset[str] = frozenset()
    context: tuple[ContextRule, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A mention of ``entity`` at ``text[start:end] == surface``."""

    entity: str
    start: int
    end: int
    surface: str
