"""The source registry (``data/sources.toml``): outlets, their Persian names, aliases, feeds."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from ingest.normalize import normalize_line

DEFAULT_REGISTRY = Path(__file__).resolve().parent.parent / "data" / "sources.toml"


# Words a site prints around its name that are not the name: «Tasnim News», «Mehr News
# Agency», «پایگاه خبری تابناک». A name is looked up as written first, then without them.
_OUTLET_WORDS = re.compile(
    r"(?i)\b(?:news\s+agency|news|agency|press)\b|خبرگزاری|پایگاه[\u200c ]+خبری(?:[\u200c ]+تحلیلی)?|"
    r"پایگاه[\u200c ]+اطلاع[\u200c ]*رسانی|روزنامه|سایت")
# Decoration around a name in a page's header («| ایسنا |», «- مهر -»).
_NAME_EDGES = " \t|-–—:•·»«\"'"
# A site's address standing for its outlet: a host with a dot, with or without its scheme
# and a path («mehrnews.com», «https://www.isna.ir/»), never a name with spaces.
_SITE = re.compile(r"(?i)^(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::[0-9]{1,5})?(?:/\S*)?$")


class RegistryError(Exception):
    """The source registry file is missing or malformed."""


@dataclass(frozen=True)
class Source:
    """One outlet: its key, Persian name, the names datelines use, hosts and feeds."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Registry:
    """Lookup of outlets by key, alias (as written in Persian text) and host."""

    sources: tuple[Source, ...] = ()
    _alias: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _host: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _by_key: dict[str, Source] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for src in self.sources:
            self._by_key.setdefault(src.key, src)
            for host in src.domains:
                # «bbc.com/persian»: a site that is one section of a larger host
                self._host[host.lower().removeprefix("www.").rstrip("/")] = src.key

    def _aliases(self) -> dict[str, str]:
        # Built on the first lookup by name, not when the registry is read: the keys are
        # normalized through hazm, whose loading cost `dastan report` (which only needs the
        # outlets' names) 3-5 s (issue 15).
        if not self._alias and self.sources:
            built: dict[str, str] = {}
            for src in self.sources:
                for name in (src.key, src.name, *src.aliases):
                    built.setdefault(_alias_key(name), src.key)
            self._alias.update(built)  # whole, in one step: another thread never sees a part
        return self._alias

    def get(self, key: str) -> Source | None:
        """The source with this key, or None."""
        return self._by_key.get(key)

    def resolve(self, name: str | None) -> str | None:
        """The registry key for a source as a record names it: its name or an alias, with or
        without the words around a name («Mehr News Agency», «خبرگزاری مهر»; :meth:`outlet`),
        one of its domains or a URL on one («mehrnews.com», «https://www.isna.ir»). A name
        the registry does not know is kept as written, lowercased; it is never guessed."""
        if name is None or not name.strip():
            return None
        return self.outlet(name) or self.by_url(_as_url(name.strip())) or name.strip().lower()

    def known(self, name: str) -> str | None:
        """The registry key for a name or alias, or None when the registry does not know it."""
        return self._aliases().get(_alias_key(name))

    def outlet(self, text: str) -> str | None:
        """The registry key when ``text`` is an outlet's name and nothing else («ایسنا»,
        «خبرگزاری مهر», «Tasnim News»), else None. A headline that mentions an outlet is not
        its name: the whole text must be the name, give or take the words around it."""
        name = text.strip(_NAME_EDGES)
        if not name:
            return None
        key = self.known(name)
        if key is None:
            bare = " ".join(_OUTLET_WORDS.sub(" ", name).split()).strip(_NAME_EDGES)
            key = self.known(bare) if bare else None
        return key

    def by_url(self, url: str | None) -> str | None:
        """The source whose domain serves ``url``, if any."""
        if not url:
            return None
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        section = parts.path.strip("/").split("/", 1)[0].lower()
        if section and f"{host}/{section}" in self._host:
            return self._host[f"{host}/{section}"]
        while host:
            if host in self._host:
                return self._host[host]
            host = host.partition(".")[2]
        return None

    def display_name(self, key: str | None) -> str:
        """The Persian name of a source for people to read."""
        if key is None:
            return "نامعلوم"
        src = self.get(key)
        return src.name if src else key


def _as_url(name: str) -> str | None:
    """A source named by its site («irna.ir», «https://www.isna.ir/») as a URL, else None."""
    if _SITE.match(name):
        return name if "://" in name else f"http://{name}"
    return None


@lru_cache(maxsize=16384)
def _alias_key(name: str) -> str:
    # Datelines ask about the same few names over and over («ایسنا», «خبرنگار سیاسی ...»):
    # normalized through hazm each time, these lookups took 3.7 s of a 300-article run
    # (issue 15). Names are short, so the cache stays small.
    return normalize_line(name).replace("\u200c", " ").casefold()


def load_registry(path: Path | None = None) -> Registry:
    """Read a registry file (default: the bundled ``data/sources.toml``)."""
    return _load(Path(path) if path else DEFAULT_REGISTRY)


@cache
def _load(path: Path) -> Registry:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise RegistryError(f"source registry not found: {path}") from err
    except tomllib.TOMLDecodeError as err:
        raise RegistryError(f"source registry {path} is not valid TOML: {err}") from err
    sources = []
    for key, entry in data.get("sources", {}).items():
        if not isinstance(entry, dict) or "name" not in entry:
            raise RegistryError(f"{path}: [sources.{key}] needs at least a name")
        sources.append(
            Source(
                key=key,
                name=entry["name"],
                aliases=tuple(entry.get("aliases", ())),
                domains=tuple(entry.get("domains", ())),
                feeds=tuple(entry.get("feeds", ())),
            )
        )
    return Registry(tuple(sources))
