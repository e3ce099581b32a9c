"""Inputs into articles: files and feeds, Persian normalization, dates, agencies, rejects.

The few names people use::

    from ingest import IngestParams, read_inputs
    for item in read_inputs(["data/samples"], IngestParams()):
        ...  # an Article, or a Reject with its reason
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.models import Article, Reject, RejectReason, Role, Sentence
from ingest.params import IngestParams

__all__ = ["Article", "IngestParams", "Reject", "RejectReason", "Role", "Sentence", "read_inputs"]


def read_inputs(paths: Iterable[str | Path], params: IngestParams) -> Iterator[Article | Reject]:
    """Every article in the named files and directories, or a reject saying why not (a file
    a directory's walk passes over, not in a format dastan reads, is an 'unsupported' reject)."""
    from ingest.article import build_article
    from ingest.readers import PassedOver, iter_files, read_path
    from ingest.sources import load_registry

    registry = load_registry(params.registry)
    for path in iter_files(paths):
        if isinstance(path, PassedOver):
            yield Reject(path.path, RejectReason.UNSUPPORTED, path.detail)
            continue
        if isinstance(path, Reject):
            yield path
            continue
        for draft in read_path(path, params):
            yield draft if isinstance(draft, Reject) else build_article(draft, registry)
