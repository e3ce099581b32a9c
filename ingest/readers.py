"""Read input files (txt, jsonl, json, csv, html, saved feeds) into drafts, or rejects with reasons.

Everything that cannot become an article is returned as a :class:`Reject`; nothing is
dropped silently. Files are read one at a time and JSON Lines one line at a time, so
memory follows the largest record, not the input.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ingest.article import Draft
from ingest.dates import parse_date
from ingest.models import Reject, RejectReason, Role
from ingest.params import IngestParams

SUPPORTED = {".txt": "text", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
             ".csv": "csv", ".html": "html", ".htm": "html", ".xml": "feed", ".rss": "feed",
             ".atom": "feed"}
_SNIFF_BYTES = 8192
_MIN_DECODED_SHARE = 0.3  # a Windows-1256 decode must look like Arabic-script text
# Valid non-ASCII characters per invalid sequence above which bytes are damaged UTF-8. Real
# Windows-1256 Persian has fewer valid sequences than invalid ones (a letter byte is rarely
# followed by a continuation byte), so 4 leaves a wide margin on either side.
_UTF8_GOOD_PER_BAD = 4


class DecodeError(Exception):
    """Bytes that are not text in any encoding dastan reads."""

    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def decode_bytes(data: bytes) -> str:
    """Decode input bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1256.

    Windows-1256 is what older Persian sites and Windows tools still write; it is decoded,
    not rejected. Raises :class:`DecodeError` for binary data and undecodable text.
    """
    if not data.strip():
        raise DecodeError(RejectReason.EMPTY, "the input is empty")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as err:
                raise DecodeError(RejectReason.UNDECODABLE, f"bad {encoding}: {err.reason}") from err
    head = data[:_SNIFF_BYTES]
    if b"\0" in head:
        raise DecodeError(RejectReason.BINARY, "contains NUL bytes: a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    _check_damaged_utf8(data, utf8_error)
    if utf8_error.reason == "unexpected end of data":
        # UTF-8 cut inside its last character (a truncated download or copy): the text
        # before the cut is whole. Decoding it as Windows-1256 would store mojibake.
        with contextlib.suppress(UnicodeDecodeError):
            return data[: utf8_error.start].decode("utf-8")
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError as err:
        raise DecodeError(RejectReason.UNDECODABLE, f"neither UTF-8 nor Windows-1256: {err.reason}") from err
    letters = [ch for ch in text if ch.isalpha()]
    arabic = sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff")
    if not letters or arabic / len(letters) < _MIN_DECODED_SHARE:
        raise DecodeError(
            RejectReason.UNDECODABLE,
            f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and not Persian in Windows-1256",
        )
    return text


def _check_damaged_utf8(data: bytes, err: UnicodeDecodeError) -> None:
    """Refuse UTF-8 text with a few invalid bytes in it, which is not Windows-1256.

    Persian in Windows-1256 read as UTF-8 is almost all invalid sequences; UTF-8 with a
    damaged byte or a truncated end is almost all valid ones. Decoded as Windows-1256, the
    latter becomes Arabic-script mojibake («ط²ظ„ط²ظ„ظ‡») that passes every later check
    (found by tests/test_hostile.py with truncated UTF-8).
    """
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    if err.reason == "unexpected end of data" and bad == 1:
        return  # only the end is cut: the caller keeps the text before the cut
    if good > _UTF8_GOOD_PER_BAD * bad:
        raise DecodeError(
            RejectReason.UNDECODABLE,
            f"damaged UTF-8: {bad} invalid byte sequence(s), the first at byte {err.start}",
        )


class InputError(Exception):
    """An input path that cannot be an input at all: the person's to fix, not a reject to store."""


class MissingInput(InputError):
    """An input path that does not exist: a typo, not an input that cannot be read."""


class DatabaseInput(InputError):
    """A DuckDB database named as an input (``dastan run x.duckdb`` for ``--db x.duckdb``)."""


# DuckDB's write-ahead log and spill folder, dastan's run lock: files of a database, beside it
_DB_COMPANIONS = (".wal", ".lock", ".tmp")
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-12 of every DuckDB file
# A run's report, written beside its database by default (flows.publish.report_path)
_REPORT_NAMES = ("report.html", "report.html.tmp")
# Every report dastan writes carries this in its <head> (summarize.report): a report saved
# under any name, in any folder, is dastan's own page, never news to read back.
OWN_REPORT_META = '<meta name="generator" content="dastan">'
_OWN_REPORT_BYTES = OWN_REPORT_META.encode()


def is_own_report(path: Path) -> bool:
    """Whether an HTML file is a report dastan wrote (its head carries OWN_REPORT_META)."""
    if path.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        with path.open("rb") as fh:
            return _OWN_REPORT_BYTES in fh.read(4096)
    except OSError:
        return False


_OWN_REPORT_DETAIL = "a report dastan wrote: not news"


def starts_as_database(head: bytes) -> bool:
    """Whether a file's first 12 bytes are a DuckDB file's (its header: a checksum, then "DUCK")."""
    return head[8:12] == _DUCKDB_MAGIC


def is_database(path: Path) -> bool:
    """A DuckDB database file: named ``*.duckdb``, or starting as a DuckDB file does."""
    if path.suffix.lower() == ".duckdb":
        return True
    try:
        with path.open("rb") as fh:
            return starts_as_database(fh.read(12))
    except OSError:
        return False


def database_of(path: Path, root: Path | None = None) -> Path | None:
    """The DuckDB database a file is part of: itself, the database whose write-ahead log,
    lock or spill folder it is (``x.duckdb.wal``, ``x.duckdb.tmp/...``, below ``root`` when
    given), or None. Only a name that is no news format is opened to look at its first bytes."""
    if path.suffix.lower() == ".duckdb" or (path.suffix.lower() not in SUPPORTED and is_database(path)):
        return path
    for part in (path, *path.parents):
        if root is not None and part == root:
            break
        for suffix in _DB_COMPANIONS:
            if part.name.endswith(suffix):
                base = part.with_name(part.name[: -len(suffix)])
                if base.suffix.lower() == ".duckdb" or (base.is_file() and is_database(base)):
                    return base
    return None


def check_inputs(paths: Iterable[str | Path]) -> None:
    """Raise :class:`MissingInput` naming every path that does not exist, and
    :class:`DatabaseInput` naming every DuckDB database named as an input, before anything
    is read or written (a typo in a path is the person's to fix, not a reject to store)."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise MissingInput(f"no such file or directory: {', '.join(missing)}; nothing was read")
    named = [(Path(p), db) for p in paths if Path(p).is_file() and (db := database_of(Path(p))) is not None]
    if named:
        said = "; ".join(f"{p} is a DuckDB database, not a news input"
                         + (f" (a file of {db.name})" if db != p else "")
                         + (f": `--db {db}` reads its stories" if db.exists() else "") for p, db in named)
        raise DatabaseInput(f"{said}; nothing was read")


@dataclass(frozen=True)
class PassedOver:
    """What a folder's walk did not take as a news input, and why: never read, never a
    reject, named on the run's summary and in its record (``counts["passed_over"]``)."""

    path: str
    # "format" (not a format dastan reads), "project_data" (the project's own files),
    # "database" (a DuckDB database with its .wal, .lock and the report beside it), "report"
    # (a report dastan wrote, under any name: see OWN_REPORT_META)
    reason: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason, "detail": self.detail}


_DATABASE_DETAIL = "a DuckDB database: not news; its .wal, .lock and the report.html beside it with it"


def iter_files(paths: Iterable[str | Path], skip: Collection[Path] = (),
               project: Mapping[Path, str] | None = None) -> Iterator[Path | Reject | PassedOver]:
    """Files named directly, and the news inputs under named directories, in a stable order.

    ``skip``: files, and folders whose files, a directory walk passes over without a word:
    what the run itself writes (its database, the database's write-ahead log and lock, its
    report) when they sit inside an input folder. A file named directly is read whatever
    it is.

    A directory walk takes only the formats dastan reads (:data:`SUPPORTED`); every other
    file, and the project's own data files and folders (``project``: path -> what it is,
    such as the source registry or the gazetteer), comes back as a :class:`PassedOver` with
    its reason, once per project path however many files it holds. Another DuckDB database
    is one :class:`PassedOver` with its write-ahead log, lock, spill folder and the
    ``report.html`` beside it: they change with every run of that database, so as inputs
    they were rejected again on every run, and the report was read as a news page.
    """
    skipped = {Path(s).resolve() for s in skip}
    data = {Path(k).resolve(): v for k, v in (project or {}).items()}
    told: set[Path] = set()
    databases: dict[Path, list[Path]] = {}  # a folder's databases, when a report.html is met in it

    def folder_database(report: Path) -> Path | None:
        folder = report.parent
        if folder not in databases:
            databases[folder] = sorted(f for f in folder.iterdir() if f.is_file() and is_database(f))
        return databases[folder][0] if databases[folder] else None

    def own(child: Path) -> bool:
        where = child.resolve()
        return where in skipped or any(parent in skipped for parent in where.parents)

    def project_path(child: Path) -> Path | None:
        where = child.resolve()
        return next((p for p in (where, *where.parents) if p in data), None)

    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file() or child.name.startswith(".") or (skipped and own(child)):
                    continue
                if data and (where := project_path(child)) is not None:
                    if where not in told:
                        told.add(where)
                        root = path.resolve()  # the path as the walk names it, under the folder given
                        shown = path / where.relative_to(root) if where.is_relative_to(root) else where
                        yield PassedOver(str(shown), "project_data", data[where])
                    continue
                db = database_of(child, path) or (folder_database(child) if child.name in _REPORT_NAMES else None)
                if db is not None:
                    if db not in told:
                        told.add(db)
                        yield PassedOver(str(db if db.exists() else child), "database", _DATABASE_DETAIL)
                    continue
                if child.suffix.lower() not in SUPPORTED:
                    yield PassedOver(str(child), "format",
                                     f"{child.suffix or '(no extension)'}: not a news format")
                    continue
                if is_own_report(child):
                    yield PassedOver(str(child), "report", _OWN_REPORT_DETAIL)
                    continue
                yield child
        elif path.is_file():
            if is_own_report(path):  # named directly, it is still not news
                yield PassedOver(str(path), "report", _OWN_REPORT_DETAIL)
                continue
            yield path
        else:
            yield Reject(str(path), RejectReason.NO_TEXT, "no such file or directory")


def read_path(path: Path, params: IngestParams) -> Iterator[Draft | Reject]:
    """Drafts (or rejects) from one file, by its extension."""
    kind = SUPPORTED.get(path.suffix.lower())
    ref = str(path)
    if kind is None:
        yield Reject(ref, RejectReason.UNSUPPORTED,
                     f"unsupported file type {path.suffix or '(none)'}; dastan reads {', '.join(SUPPORTED)}")
        return
    try:
        size = path.stat().st_size
    except OSError as err:
        yield Reject(ref, RejectReason.UNDECODABLE, f"cannot read: {err}")
        return
    if kind in ("jsonl", "csv"):
        yield from _read_records(path, kind, params)
        return
    if size > params.max_file_bytes:
        yield Reject(ref, RejectReason.TOO_LARGE, f"{size} bytes, above the limit of {params.max_file_bytes}")
        return
    if kind == "text" and size > params.max_record_bytes:
        # A saved page is one article, so it is bounded like one record: 18 MB of text on
        # one line took 90 s and more than 3 GB to ingest (found by tests/test_hostile.py).
        yield Reject(ref, RejectReason.TOO_LARGE,
                     f"{size} bytes: a saved page is one article, at most {params.max_record_bytes} bytes")
        return
    if kind == "feed":
        yield from _read_feed_file(path)
        return
    try:
        text = decode_bytes(path.read_bytes())
    except DecodeError as err:
        yield Reject(ref, err.reason, err.detail, _sample_bytes(path))
        return
    if kind == "text":
        from ingest.pages import parse_page_text
        from ingest.sources import load_registry

        # A saved page has no id of its own; its file name is the name a person gave it.
        # The registry tells a line that names the site («ایسنا») from the page's title.
        draft = parse_page_text(text, ref, load_registry(params.registry), external_id=path.stem)
        yield replace(draft, id_is_file_name=True)
    elif kind == "html":
        from ingest.html import parse_html

        yield replace(parse_html(text, ref, external_id=path.stem), id_is_file_name=True)
    else:
        yield from _read_json_document(text, ref, params)


def _read_feed_file(path: Path) -> Iterator[Draft | Reject]:
    """A saved RSS/Atom file: one draft per item, a reject for each part not read."""
    from ingest.feeds import FeedError, feed_rejects, read_feed

    ref = str(path)
    data = path.read_bytes()
    if not data.strip():
        yield Reject(ref, RejectReason.EMPTY, "the input is empty")
        return
    try:
        feed = read_feed(data)
    except FeedError as err:
        yield Reject(ref, err.reason, str(err), _sample_bytes(path))
        return
    if not feed.items and not feed.problems:
        yield Reject(ref, RejectReason.NO_TEXT, "the feed has no items", _sample_bytes(path))
    for n, item in enumerate(feed.items, 1):
        segments: list[tuple[Role, str]] = [(Role.TITLE, item.title)] if item.title else []
        if item.summary:
            segments.append((Role.BODY, item.summary))
        yield Draft(tuple(segments), raw_text=f"{item.title}\n\n{item.summary or ''}", input_ref=f"{ref}#{n}",
                    external_id=item.guid or item.link, url=item.link, published_at=item.published_at,
                    published_text=item.published_text, published_time_known=item.published_time_known)
    yield from feed_rejects(feed, ref)


def _sample_bytes(path: Path) -> str:
    with path.open("rb") as fh:
        return fh.read(120).decode("utf-8", "replace")


def _read_json_document(text: str, ref: str, params: IngestParams) -> Iterator[Draft | Reject]:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as err:
        yield Reject(ref, RejectReason.MALFORMED, f"not valid JSON: {_short(err)}", text[:200])
        return
    if isinstance(doc, dict):
        records = next((v for v in doc.values() if isinstance(v, list)), [doc])
    elif isinstance(doc, list):
        records = doc
    else:
        yield Reject(ref, RejectReason.MALFORMED, "JSON is neither an object nor a list of objects")
        return
    if not records:
        yield Reject(ref, RejectReason.NO_TEXT, "no records: the JSON list is empty", text[:200])
    for n, record in enumerate(records, 1):
        yield record_to_draft(record, f"{ref}#{n}", params)


def _read_records(path: Path, kind: str, params: IngestParams) -> Iterator[Draft | Reject]:
    ref = str(path)
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
        fh.seek(0)
        if not head.strip():
            yield Reject(ref, RejectReason.EMPTY, "the file is empty")
            return
        if b"\0" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            yield Reject(ref, RejectReason.BINARY, "contains NUL bytes: a binary file, not text",
                         head[:120].decode("utf-8", "replace"))
            return
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # UTF-16 has no line-by-line byte framing; such files are small exports.
            try:
                lines: Iterable[bytes] = [
                    ln.encode("utf-8") for ln in fh.read(params.max_file_bytes + 1).decode("utf-16").splitlines()
                ]
            except UnicodeDecodeError as err:
                yield Reject(ref, RejectReason.UNDECODABLE, f"bad utf-16: {err.reason}", head[:120].hex())
                return
        else:
            lines = _bounded_lines(fh, params.max_record_bytes)
        found = False
        for item in _jsonl(lines, ref, params) if kind == "jsonl" else _csv(lines, ref, params):
            found = True
            yield item
        if not found:  # a BOM alone, blank lines, a CSV header alone (found by tests/test_fuzz.py)
            yield Reject(ref, RejectReason.EMPTY, "the file holds no records", head[:120].decode("utf-8", "replace"))


def _bounded_lines(fh: io.BufferedReader, limit: int) -> Iterator[bytes]:
    """Lines of a binary file; a line longer than ``limit`` comes back cut, flagged by length."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            # Skip the rest of the oversized line without holding it in memory.
            while True:
                chunk = fh.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
        yield line


def _decode_line(raw: bytes, ref: str, params: IngestParams) -> str | Reject:
    if len(raw) > params.max_record_bytes:
        return Reject(ref, RejectReason.TOO_LARGE,
                      f"record longer than {params.max_record_bytes} bytes", raw[:120].decode("utf-8", "replace"))
    try:
        return decode_bytes(raw)
    except DecodeError as err:
        return Reject(ref, err.reason, err.detail, raw[:120].decode("utf-8", "replace"))


def _jsonl(lines: Iterable[bytes], ref: str, params: IngestParams) -> Iterator[Draft | Reject]:
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        line_ref = f"{ref}:{n}"
        # without its line break, which json counted as the record's line 2: a bad line 4
        # was said to be at «line 2 column 1» (the eighth newcomer's defect 19)
        text = _decode_line(raw.rstrip(b"\r\n"), line_ref, params)
        if isinstance(text, Reject):
            yield text
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as err:
            # the position in the file, not in the record: line n of the file, the column
            yield Reject(line_ref, RejectReason.MALFORMED,
                         f"not valid JSON at line {n}, column {err.colno}: {err.msg}", text[:200])
            continue
        except (ValueError, RecursionError) as err:
            yield Reject(line_ref, RejectReason.MALFORMED, f"not valid JSON: {_short(err)}", text[:200])
            continue
        yield record_to_draft(record, line_ref, params)


def _csv(lines: Iterable[bytes], ref: str, params: IngestParams) -> Iterator[Draft | Reject]:
    # A line that cannot be decoded (too long, not text) is a reject, not a silent gap; blank
    # lines are just blank. Found by tests/test_fuzz.py, as was a CSV file without records.
    problems: list[Reject] = []

    def decoded() -> Iterator[str]:
        for n, raw in enumerate(lines, 1):
            if raw.strip():
                text = _decode_line(raw, f"{ref}:{n}", params)
                if isinstance(text, Reject):
                    problems.append(text)
                else:
                    yield text

    try:
        reader = csv.DictReader(decoded())
        for n, row in enumerate(reader, 2):
            yield record_to_draft(row, f"{ref}:{n}", params)
    except csv.Error as err:
        yield Reject(ref, RejectReason.MALFORMED, f"CSV error: {err}")
    yield from problems


def _short(err: BaseException) -> str:
    return str(err)[:160] or type(err).__name__


def _pick(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in names:
        value = lowered.get(name.lower())
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, dict):  # {"source": {"name": ...}} as in some feed exports
            value = value.get("name") or value.get("title")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _text(value: str | None, paragraphs: bool = True) -> str | None:
    """A record's field as plain text (:func:`ingest.feeds.strip_tags`), None when nothing is left."""
    from ingest.feeds import strip_tags

    return strip_tags(value, paragraphs) if value is not None else None


def record_to_draft(record: Any, ref: str, params: IngestParams) -> Draft | Reject:
    """A draft from one JSON/CSV record, with the usual field names mapped."""
    if not isinstance(record, dict):
        return Reject(ref, RejectReason.MALFORMED, f"a record must be an object, not {type(record).__name__}")
    f = params.fields
    # Exports of news sites carry the page's HTML in their fields («<p>», «&zwnj;»): read as
    # the text a reader sees, as a feed item's description is; plain text stays as it is.
    title = _text(_pick(record, f["title"]), paragraphs=False)
    body = _text(_pick(record, f["body"]))
    lead = _text(_pick(record, f["lead"]))
    if body is None and lead is not None:
        body, lead = lead, None
    if not title and not body:
        return Reject(ref, RejectReason.NO_TEXT, "the record has no title and no text field",
                      json.dumps(record, ensure_ascii=False)[:200])
    segments: list[tuple[Role, str]] = []
    if title:
        segments.append((Role.TITLE, title))
    if lead and lead != body:
        segments.append((Role.LEAD, lead))
    if body:
        segments.append((Role.BODY, body))
    published_text = _pick(record, f["published"])
    date = parse_date(published_text) if published_text else None
    return Draft(
        segments=tuple(segments),
        raw_text=json.dumps(record, ensure_ascii=False),
        input_ref=ref,
        external_id=_pick(record, f["id"]),
        source=_text(_pick(record, f["source"]), paragraphs=False),
        url=_pick(record, f["url"]),
        published_at=date.when if date else None,
        published_text=published_text,
        published_time_known=date is not None and date.has_time,
    )
