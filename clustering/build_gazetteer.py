"""Build ``data/places.tsv`` from the curated lists in ``data/gazetteer/`` and CLDR's country names.

Run it after editing a list: ``python -m clustering.build_gazetteer``. The table it writes is
committed; nothing reads Babel or hazm at run time. Babel is read here, once, because CLDR's
Persian names change only with a CLDR release and a build-time read keeps ``clustering.places``
free of the dependency and of Babel's locale-data loading; the table also stays reviewable in a
diff when CLDR changes a spelling. Names are written as ingestion normalizes text
(``ingest.normalize.normalize_line``: ی/ک, ZWNJ), so the table reads like the articles.

Checks: every parent exists; no two rows share an uncued name (a shared name would make the
match depend on row order); every kind is one of ``places.KINDS``.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from clustering.places import GAZETTEER, KINDS, Place, name_key

SOURCES = GAZETTEER.parent / "gazetteer"
# CLDR territory codes that are not countries: the EU, the eurozone, the UN, "outlying Oceania",
# pseudo-locales, "unknown region"; numeric codes (continents) are skipped by shape.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
_PROVINCE = re.compile(r"IR-\d\d")


class GazetteerError(Exception):
    """A curated list or the built table is inconsistent."""


def _names(field: str) -> tuple[list[str], list[str]]:
    plain, cued = [], []
    for name in field.split("|"):
        name = name.strip()
        if name.startswith("~"):
            cued.append(name[1:].strip())
        elif name:
            plain.append(name)
    return plain, cued


def _lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


def iran_rows(path: Path) -> list[Place]:
    """Provinces, counties and cities from ``iran.txt``."""
    rows: list[Place] = []
    province = county = ""
    for line in _lines(path):
        head, _, rest = line.partition(" ")
        if _PROVINCE.fullmatch(head):
            _slug, _, names = rest.partition(" ")
            province, county = head, ""
            plain, cued = _names(names)
            rows.append(Place(head, "province", "IR", tuple(plain), tuple(cued)))
        elif head.startswith("+"):
            if not county:
                raise GazetteerError(f"a city before any county: {line!r}")
            plain, cued = _names(rest)
            rows.append(Place(f"{province}-{head[1:]}", "city", county, tuple(plain), tuple(cued)))
        else:
            if not province:
                raise GazetteerError(f"a county before any province: {line!r}")
            capital = head.startswith("*")  # «*arak اراک»: the county of the province's capital
            county = f"{province}-{head.lstrip('*')}"
            plain, cued = _names(rest)
            rows.append(Place(county, "county", province, tuple(plain), tuple(cued), capital))
    return rows


def _cldr_names(code: str, name: str) -> list[str]:
    # «میانمار (برمه)», «هنگ‌کنگ، منطقهٔ ویژهٔ اداری چین», «کنگو - کینشاسا»
    main, _, aside = name.partition("(")
    main = main.split("،")[0].replace(" - ", " ").strip()
    out = [main]
    if aside.strip(" )"):
        out.append(aside.strip(" )"))
    return out


def world_rows(path: Path, cldr: dict[str, str]) -> list[Place]:
    """Countries (CLDR names plus aliases), world cities and regions from ``world.txt``."""
    plain: dict[str, list[str]] = {}
    cued: dict[str, list[str]] = {}
    never_plain: set[tuple[str, str]] = set()
    for code, name in cldr.items():
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES:
            plain.setdefault(code, []).extend(_cldr_names(code, name))
    cities: list[Place] = []
    for line in _lines(path):
        head, _, rest = line.partition(" ")
        if head == "=":
            code, _, names = rest.partition(" ")
            p, c = _names(names)
            plain.setdefault(code, []).extend(p)
            cued.setdefault(code, []).extend(c)
        elif head == "!":
            code, _, name = rest.partition(" ")
            never_plain.add((code, name.strip()))
            cued.setdefault(code, []).append(name.strip())
        else:
            slug, _, names = rest.partition(" ")
            kind = "region" if slug.startswith("@") else "world_city"
            p, c = _names(names)
            country, _, region = head.partition("/")  # «PS/gaza jabalia ...»: inside region PS-gaza
            parent = f"{country}-{region}" if region else country
            cities.append(Place(f"{country}-{slug.lstrip('@')}", kind, parent, tuple(p), tuple(c)))
    countries = []
    for code in sorted(plain.keys() | cued.keys()):
        names = [n for n in plain.get(code, []) if (code, n) not in never_plain]
        countries.append(Place(code, "country", None, tuple(names), tuple(cued.get(code, []))))
    return countries + cities


def region_rows(path: Path) -> list[Place]:
    """Seas, straits and areas from ``regions.txt``."""
    rows = []
    for line in _lines(path):
        pid, kind, parent, names = line.split(" ", 3)
        p, c = _names(names)
        rows.append(Place(pid, kind, None if parent == "-" else parent, tuple(p), tuple(c)))
    return rows


def _normalized(rows: list[Place]) -> list[Place]:
    from ingest.normalize import normalize_line  # hazm: a build-time cost only

    def norm(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(normalize_line(n) for n in names))

    return [Place(r.id, r.kind, r.parent, norm(r.names), norm(r.cued), r.capital) for r in rows]


def check(rows: list[Place]) -> None:
    """Raise GazetteerError on a duplicate id, an unknown parent or kind, or a shared plain name."""
    ids: dict[str, Place] = {}
    for r in rows:
        if r.id in ids:
            raise GazetteerError(f"duplicate id {r.id}")
        ids[r.id] = r
    owner: dict[str, str] = {}
    problems = []
    for r in rows:
        if r.kind not in KINDS:
            problems.append(f"{r.id}: unknown kind {r.kind}")
        if r.parent and r.parent not in ids:
            problems.append(f"{r.id}: unknown parent {r.parent}")
        for n in r.names:
            key = name_key(n)[0]
            if key in owner and owner[key] != r.id:
                problems.append(f"«{n}» names both {owner[key]} and {r.id}")
            owner[key] = r.id
    if problems:
        raise GazetteerError("; ".join(problems))


def build(cldr: dict[str, str]) -> list[Place]:
    """All rows, normalized and checked, in a stable order (kind, then id)."""
    rows = iran_rows(SOURCES / "iran.txt") + world_rows(SOURCES / "world.txt", cldr) + region_rows(
        SOURCES / "regions.txt"
    )
    rows = _normalized(rows)
    rows.sort(key=lambda r: (KINDS.index(r.kind) if r.kind in KINDS else len(KINDS), r.id))
    check(rows)
    return rows


def write(rows: list[Place], path: Path) -> None:
    """Write the table: a header line, then one row per place."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        w.writerow(["id", "kind", "parent", "names", "cued", "capital"])
        for r in rows:
            w.writerow([r.id, r.kind, r.parent or "", "|".join(r.names), "|".join(r.cued), "1" if r.capital else ""])


def main() -> int:
    from babel import Locale  # build-time only: the dev extra, pinned in constraints.txt

    rows = build(dict(Locale("fa").territories))
    write(rows, GAZETTEER)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    sys.stdout.write(f"{GAZETTEER}: {len(rows)} places " + ", ".join(f"{k} {v}" for k, v in counts.items()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
