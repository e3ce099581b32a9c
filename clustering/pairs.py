"""Candidate pairs and their features: the evidence a same-story decision reads.

Only candidate pairs are scored: each article's ``k`` nearest neighbours by dense and by
lexical cosine, found blockwise, so the cost follows the window times ``k``, never its
square. The dense view is read relative to each report's neighbourhood, because similar
topics crowd together: an e5 cosine of 0.95 is ordinary among COVID tallies and telling
for a lone report (the hubness correction of Conneau et al. 2018, "CSLS"). The lexical
views are weighted against Persian at large (clustering.reference), never the window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import scipy.sparse as sp

from clustering.mentions import Mentions

FEATURES: tuple[str, ...] = (
    "chars",  # character 3-5-grams of the content words of title and lead: spelling variants
    "dense_gap",  # dense cosine minus both ends' crowd (the CSLS correction), unscaled
    "lexical",  # lemma cosine, words weighted by their rarity in Persian at large (clustering.reference)
    "rare",  # the largest reference idf among the lemmas both share, over 7.5: a shared name
    "numbers_conflict",  # both titles give figures and share none (two days' tallies)
    "same_source",  # one outlet: it rarely reports one event twice (unknown sources: 0)
    "date_shared",  # both name one Jalali date
    "date_conflict",  # both name dates, none in common; or years («سال ۹۶», «سال ۹۷»)
    "weekday_conflict",  # both name weekdays, none in common
    "media",  # one of the two is a photo or video item («فیلم |», «نخستین تصاویر از ...»)
    "media_chars",  # media times chars: pictures of a happening retell its headline's words
    "media_dense_gap",  # media times dense_gap: a photo item sits in its event's own crowd
    "same_source_dense",  # same_source times dense_gap: one outlet's house style and templates look alike
    "same_source_lexical",  # same_source times lexical: its stock wording («به گزارش ...») likewise
    "place_shared",  # both name one place inside Iran below the country (a city, a county, a province)
    "place_conflict",  # both name places, at home or abroad, and none is or contains one of the other's
    "country_conflict",  # both name countries other than Iran, none in common
    "town_shared",  # both name one county or city of Iran (not only its province): one incident's site
    "site_shared",  # both tell a happening (no speaker, reaction or digest) at one county or city of Iran
    # that is no province capital (places.province_capital): a town's strike and its rising toll
    "speaker_shared",  # one speaker (clustering.speakers.same_speaker)
    "speaker_conflict",  # two different speakers: another actor's statement is another event
    "speaker_named",  # one has a speaker, the other none but names that speaker in its headline
    "speaker_absent",  # one has a speaker, the other neither has one nor names it: another actor's words
    "source_apart",  # speaker_absent, and the other's lead quotes someone else (speakers.lead_source)
    "speaker_unmatched",  # both name a speaker and nothing says it is one («بقائی», «استاندار هرمزگان»)
    "place_one_sided",  # one names a place (at home or abroad) and the other none
    "home_abroad",  # one names only places in Iran, the other only places abroad
    "stock_shared",  # both say one stock phrase: the dense view reads it, and it names no happening
    "reaction_to_happening",  # one reacts («... را محکوم کرد»); the other, no statement, names not who reacts
    "reactions_apart",  # both react, and who reacts is read on both and not one (speakers.same_speaker); or one
    # reacts and the other speaks, and the two are known to differ
    "digest",  # one of the two rounds up several happenings or is an opinion piece (mentions.is_digest), and
    # they are no copies
    "meetings_apart",  # two meetings or calls with one party in common and the other known to differ, or
    # a call and a meeting (speakers.meeting_kind)
    "subjects_apart",  # one speaker, and what the two statements are about shares no word (speakers.subject)
    "markets_apart",  # two price posts of different markets (mentions.market): the coin and the stock index
    "units_apart",  # numbered units of one kind and none in common (mentions.units): metro line 1 and line 4
    "figures_next_day",  # different figures a day or more apart: the next day's tally (set by the caller)
)


# The character cosine above which two headlines are one text retyped (typo re-posts, wire copy).
DIGEST_COPY = 0.9


@dataclass(frozen=True)
class Neighbours:
    """Each row's ``k`` nearest neighbours in one view, best first, with their scores."""

    index: np.ndarray  # (n, k) int64, -1 where a row has fewer than k others
    score: np.ndarray  # (n, k) float32, 0 where index is -1

    @property
    def k(self) -> int:
        return int(self.index.shape[1])

    def head(self, k: int) -> Neighbours:
        """The ``k`` nearest only."""
        return Neighbours(self.index[:, :k], self.score[:, :k])

    def crowding(self, rank: int) -> np.ndarray:
        """How crowded each row's neighbourhood is: the mean similarity of its ``rank``-th and
        next nearest neighbours (the median of its ``2 * rank`` nearest); 0 where it has fewer.

        Read beyond the candidates, so that a big event (eleven reports of one launch) does
        not count as its own crowd: its members fill the first neighbours, and a mean over
        those would mark every true partner as ordinary. Measured on the dev sets
        (benchmarks/fit_clustering.py): the mean of the first 8 split that launch into five
        stories; the 8th-9th keeps it whole and still discounts a lone report among twenty
        COVID tallies.
        """
        score = self.score[:, rank - 1 : rank + 1]
        if score.shape[1] < 2:
            score = np.pad(score, ((0, 0), (0, 2 - score.shape[1])))
        return score.mean(axis=1)


_SAMPLED_COLUMNS = 2048  # columns read to bound each row's k-th best score (see _dense_top_k)
_QUERY_TERMS = 12  # a report's heaviest lemmas that look for lexical neighbours
_RESCORED = 3  # lexical candidates per wanted neighbour that get an exact cosine
_COMMON_SHARE, _COMMON_FLOOR = 0.02, 100  # lemmas in more reports than this do not look up
_FLOOR = np.float32(1e-6)  # the least similarity that makes a neighbour


def _top_k_entries(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, m: int, k: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``m``, the ``k`` best positive (col, val) entries, best first; ties by column."""
    index = np.full((m, k), -1, np.int64)
    score = np.zeros((m, k), np.float32)
    ok = vals > 0
    rows, cols, vals = rows[ok], cols[ok], vals[ok]
    col_bits = max(1, int(cols.max()).bit_length()) if len(cols) else 1
    if vals.dtype == np.float32 and max(1, m - 1).bit_length() + 32 + col_bits <= 64:
        # one uint64 key per entry, (row, -val, col): a positive float's bits order as its
        # value, so a plain sort gives what the three-key lexsort gives, several times faster
        key = ((rows.astype(np.uint64) << np.uint64(32 + col_bits))
               | ((~vals.view(np.uint32)).astype(np.uint64) << np.uint64(col_bits)) | cols.astype(np.uint64))
        key.sort()
        rows = (key >> np.uint64(32 + col_bits)).astype(np.int64)
        vals = (~((key >> np.uint64(col_bits)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)).view(np.float32)
        cols = (key & np.uint64((1 << col_bits) - 1)).astype(np.int64)
    else:
        order = np.lexsort((cols, -vals, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
    per_row = np.bincount(rows, minlength=m)
    rank = np.arange(len(rows)) - (np.cumsum(per_row) - per_row)[rows]
    keep = rank < k
    index[rows[keep], rank[keep]] = cols[keep]
    score[rows[keep], rank[keep]] = vals[keep]
    return index, score


def _dense_top_k(vectors: np.ndarray, k: int, block: int) -> Iterator[tuple[int, int, np.ndarray, np.ndarray]]:
    """Each row's ``k`` best dense cosines to other rows, best first, ties by column; a block
    of rows at a time, as ``(start, stop, index, score)``.

    Only the upper triangle of the ``n x n`` product is computed: block ``a`` (rows
    ``start:stop``) meets columns ``start:`` only, and the part right of its own columns
    serves the later rows too, read down its columns (a cosine is the same whichever row
    asks). A row's result is complete once its own block is done: the earlier blocks gave
    the columns left of it. That halves the multiplication, most of the time at 50,000
    reports. A full sort of every row would cost the rest, so each row's k-th best score
    among a strided sample of columns is taken first: it can only be lower than the row's
    true k-th best, so every true top-k entry clears it, and only the few that do are sorted.
    """
    n = vectors.shape[0]
    sampled = np.arange(0, n, max(1, n // _SAMPLED_COLUMNS))
    kk = min(k, len(sampled))
    cut = np.empty(n, np.float32)
    for start in range(0, n, block):
        stop = min(start + block, n)
        sample = vectors[start:stop] @ vectors[sampled].T
        sample[np.arange(start, stop)[:, None] == sampled[None, :]] = -np.inf  # not itself
        cut[start:stop] = np.partition(sample, len(sampled) - kk, axis=1)[:, len(sampled) - kk]
    # a bound a little lower than the sample's, in case a BLAS rounds a product one way in
    # one shape and another in the other: a lower bound only lets a few more entries through
    bound = np.maximum(cut - np.float32(1e-6), _FLOOR)
    later: list[list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = [[] for _ in range(0, n, block)]
    for a, start in enumerate(range(0, n, block)):
        stop = min(start + block, n)
        scores = vectors[start:stop] @ vectors[start:].T  # (stop - start, n - start)
        width = n - start
        rows = np.arange(stop - start)
        scores[rows, rows] = -np.inf
        # flat indices, then divmod: np.nonzero of a 2-d mask takes 10x longer (64-89 ms
        # against 6 ms for 512 x 50,000) and gives the same entries
        r, c = np.divmod(np.flatnonzero(scores >= bound[start:stop, None]), width)
        parts = [(r, c + start, scores[r, c])] + [(x - start, y, v) for x, y, v in later[a]]
        later[a] = []
        right = scores[:, stop - start:]  # the later rows' entries in this block's columns
        i, j = np.divmod(np.flatnonzero(right >= bound[None, stop:]), n - stop)
        if len(j):
            owner = (j + stop) // block
            order = np.argsort(owner, kind="stable")
            i, j, owner = i[order], j[order], owner[order]
            vals = right[i, j]
            cuts = np.flatnonzero(np.diff(owner)) + 1
            for lo, hi in zip(np.concatenate([[0], cuts]), np.concatenate([cuts, [len(j)]]), strict=True):
                later[owner[lo]].append((j[lo:hi] + stop, i[lo:hi] + start, vals[lo:hi]))
        r, c, v = (np.concatenate(x) for x in zip(*parts, strict=True))
        yield (start, stop, *_top_k_entries(r, c, v, stop - start, k))


def _query_terms(matrix: sp.csr_matrix, m: int) -> sp.csr_matrix:
    """Each row reduced to its ``m`` heaviest lemmas among those not in everything.

    The lookup cost is the length of the postings a query touches; a lemma in more than
    2% of the window (at least 100 reports) names no happening and would touch them all.
    """
    coo = matrix.tocoo()
    df = np.bincount(coo.col, minlength=matrix.shape[1])
    common = df[coo.col] > max(_COMMON_FLOOR, _COMMON_SHARE * matrix.shape[0])
    order = np.lexsort((coo.col, -coo.data, common, coo.row))
    rows = coo.row[order]
    keep = ((np.arange(len(rows)) - np.searchsorted(rows, rows)) < m) & ~common[order]
    return sp.csr_matrix((coo.data[order][keep], (rows[keep], coo.col[order][keep])), shape=matrix.shape)


def nearest_neighbours(
    vectors: np.ndarray, lexical: sp.csr_matrix, k: int, block: int = 512
) -> tuple[Neighbours, Neighbours]:
    """The ``k`` nearest neighbours of every row by dense and by lexical cosine, blockwise.

    A block of rows is compared with all rows at once (``block x n`` floats), so memory
    stays bounded and no ``n x n`` matrix is ever held. Lexical neighbours are looked up
    with each report's heaviest lemmas only (common words would make the sparse product
    nearly dense), then the best few are rescored with the full cosine.
    """
    n = vectors.shape[0]
    kk = max(0, min(k, n - 1))
    dense_index, dense_score = np.full((n, kk), -1, np.int64), np.zeros((n, kk), np.float32)
    lex_index, lex_score = np.full((n, kk), -1, np.int64), np.zeros((n, kk), np.float32)
    if kk == 0:
        return Neighbours(dense_index, dense_score), Neighbours(lex_index, lex_score)
    queries = _query_terms(lexical, _QUERY_TERMS)
    lexical_t = lexical.T.tocsr()

    for start, stop, index, score in _dense_top_k(vectors, kk, block):
        dense_index[start:stop], dense_score[start:stop] = index, score
        # the product's entries as they are: a dense block (block x n) to scan costs more
        # than the few hundred lemma matches a row has
        found = (queries[start:stop] @ lexical_t).tocoo()
        ok = (found.row + start != found.col) & (found.data >= _FLOOR)
        cand, _ = _top_k_entries(found.row[ok], found.col[ok], found.data[ok], stop - start, kk * _RESCORED)
        r, c = np.nonzero(cand >= 0)
        exact = rowwise_dot(lexical, r + start, cand[r, c])
        lex_index[start:stop], lex_score[start:stop] = _top_k_entries(r, cand[r, c], exact, stop - start, kk)
    return Neighbours(dense_index, dense_score), Neighbours(lex_index, lex_score)


def candidate_pairs(views: Sequence[Neighbours]) -> np.ndarray:
    """Unique (i, j), i < j, where one is among the other's neighbours with some similarity."""
    found = []
    for nb in views:
        rows = np.repeat(np.arange(nb.index.shape[0]), nb.k)
        cols = nb.index.ravel()
        ok = (cols >= 0) & (nb.score.ravel() > 0)
        found.append(np.stack([rows[ok], cols[ok]], axis=1))
    pairs = np.concatenate(found) if found else np.empty((0, 2), np.int64)
    if len(pairs) == 0:
        return np.empty((0, 2), np.int64)
    pairs = np.stack([pairs.min(axis=1), pairs.max(axis=1)], axis=1)
    return np.unique(pairs[pairs[:, 0] != pairs[:, 1]], axis=0)


# Pairs per slice where a computation copies both ends' rows: a 50,000-report window has
# about a million pairs, and its rows at once (char grams, 384-float vectors) took gigabytes.
_PAIR_CHUNK = 1 << 16


def by_chunks(f: Callable[[np.ndarray, np.ndarray], np.ndarray], i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``f(i, j)`` of a row-wise computation, a slice of pairs at a time (same values, bounded memory)."""
    if len(i) <= _PAIR_CHUNK:
        return f(i, j)
    return np.concatenate([f(i[s:s + _PAIR_CHUNK], j[s:s + _PAIR_CHUNK]) for s in range(0, len(i), _PAIR_CHUNK)])


def rowwise_dot(matrix: sp.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Dot products of rows ``i`` and ``j`` of a sparse matrix, pair by pair."""
    # Unsorted column indices (what a sparse product leaves) send scipy's element-wise
    # product down its general path, which sets up three arrays as wide as the matrix
    # (8M hashed character grams) per call: 3x slower. The products come out in column
    # order either way, so the sums are the same.
    if not matrix.has_sorted_indices:
        matrix = matrix.sorted_indices()
    return by_chunks(lambda a, b: np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1), dtype=np.float32).ravel(),
                     i, j)


def _set_pairs(sets: Sequence[frozenset], i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(shared count, conflict flag) per pair: conflict when both are non-empty and disjoint.

    Counted as sparse products over an article-by-item incidence matrix, not per pair in
    Python: a 50,000-report window has about half a million pairs.
    """
    ids: dict[Any, int] = {}
    cols = np.fromiter((ids.setdefault(x, len(ids)) for s in sets for x in s), np.int64)
    sizes = np.fromiter((len(s) for s in sets), np.int64, count=len(sets))
    has = np.repeat(np.arange(len(sets)), sizes)
    items = sp.csr_matrix((np.ones(len(cols), np.float32), (has, cols)), shape=(len(sets), max(1, len(ids))))
    both = (sizes[i] > 0) & (sizes[j] > 0)
    shared = np.where(both, rowwise_dot(items, i, j), np.float32(0)).astype(np.float32)
    return shared, (both & (shared == 0)).astype(np.float32)


def _rare_shared(docs: Sequence[Sequence[str]], i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Largest reference idf among the lemmas both rows contain, over the largest possible (7.5).

    Sparse products, not Python sets: a 50,000-report window has close to a million pairs.
    """
    from clustering.lexical import term_counts
    from clustering.reference import idf_vector

    present, vocab = term_counts(docs)
    present.data[:] = 1.0
    weighted = (present @ sp.diags(idf_vector(vocab) / np.float32(7.5))).sorted_indices()  # see rowwise_dot
    return by_chunks(lambda a, b: np.asarray(weighted[a].multiply(present[b]).max(axis=1).todense(),
                                             dtype=np.float32).ravel(), i, j)


def office_holders(mentions: Sequence[Mentions]) -> dict[str, str]:
    """Who holds which office, as the window's own reports say: name key -> office key, for every
    name a report of the window speaks, reacts or meets by.

    A report tells it by apposition («سید عباس عراقچی وزیر امور خارجه کشورمان ...») or by a
    headline's name whose lead gives the office («مهاجرانی: ...» over «سخنگوی دولت ... گفت»);
    the name then matches as speaker keys do («عراقچی» is «عباس عراقچی»). A name told two
    different offices in the window is left a name. Read from the stream, not from a table of
    office-holders, which would go out of date."""
    from clustering.speakers import is_bare_name, same_speaker

    told: dict[str, set[str]] = {}
    for m in mentions:
        for name, office in m.offices:
            told.setdefault(name, set()).add(office)
    index: dict[str, list[str]] = {}
    for name in told:
        for word in name.split():
            index.setdefault(word, []).append(name)
    named = {k for m in mentions for k in (m.speaker, m.judge, *(m.meeting or ())) if k and is_bare_name(k)}
    out = {}
    for key in named:
        offices = {o for n in {n for w in key.split() for n in index.get(w, ())} if same_speaker(key, n) is True
                   for o in told[n]}
        if offices:
            first = next(iter(offices))
            if all(same_speaker(first, other) is True for other in offices):
                out[key] = first
    return out


def _place_speaker_columns(mentions: Sequence[Mentions], i: np.ndarray, j: np.ndarray) -> dict[str, np.ndarray]:
    """Place and speaker evidence per pair (clustering.places, clustering.speakers).

    Only pairs where both name places (or both have speakers) are compared, and each
    distinct comparison is made once: a crowded topic repeats the same few places.
    """
    from clustering.mentions import markets_apart, units_apart
    from clustering.places import abroad, compatible, countries, local, province_capital, sites
    from clustering.speakers import is_bare_name, meetings_apart, named_in, same_identity

    here = [local(m.places) for m in mentions]
    there = [sites(abroad(m.places)) for m in mentions]
    foreign = [countries(m.places) - {"IR"} for m in mentions]
    holders = office_holders(mentions)

    def identity(key: str, told: tuple[tuple[str, str], ...] = ()) -> tuple[str, ...]:
        """The keys one speaker goes by: a name and the office the window gives it; an office and
        the name its report's headline gave it («پمپئو:» over «وزیر امور خارجه آمریکا گفت»)."""
        names = tuple(name for name, office in told if office == key and is_bare_name(name))
        return (key, holders[key], *names) if key in holders else (key, *names)

    said = [identity(m.speaker, m.offices) if m.speaker is not None else None for m in mentions]
    met = [tuple(map(identity, m.meeting)) if m.meeting is not None else None for m in mentions]
    names = ("place_shared", "town_shared", "place_conflict", "country_conflict", "speaker_shared", "speaker_conflict",
             "speaker_unmatched", "speaker_named", "speaker_absent", "source_apart", "place_one_sided", "home_abroad",
             "site_shared", "reaction_to_happening", "reactions_apart", "meetings_apart",
             "subjects_apart", "markets_apart", "units_apart")  # "digest" needs the character cosine: pair_features
    out = {n: np.zeros(len(i), np.float32) for n in names}
    seen: dict[tuple, bool | None] = {}

    def once(f: Callable[[Any, Any], bool | None], x: Any, y: Any) -> bool | None:
        key = (f, x, y)
        if key not in seen:
            seen[key] = f(x, y)
        return seen[key]

    happening = [m.speaker is None and m.judge is None and not m.digest for m in mentions]
    for p, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        # Every report of a war on Iran names Iran: places are compared at home and abroad apart.
        conflict = False
        if here[a] and here[b]:
            shared = here[a] & here[b]
            out["place_shared"][p] = bool(shared)
            out["town_shared"][p] = any(place.count("-") == 2 for place in shared)
            out["site_shared"][p] = happening[a] and happening[b] and any(
                place.count("-") == 2 and not province_capital(place) for place in shared)
            conflict = once(compatible, here[a], here[b]) is False
        if not conflict and there[a] and there[b]:
            conflict = once(compatible, there[a], there[b]) is False
        out["place_conflict"][p] = conflict
        out["country_conflict"][p] = bool(foreign[a] and foreign[b] and not foreign[a] & foreign[b])
        if said[a] is not None and said[b] is not None:
            same = once(same_identity, said[a], said[b])
            out["speaker_shared"][p] = same is True
            # one speaker on two subjects: two statements (a press appearance split by topic)
            out["subjects_apart"][p] = (same is True and bool(mentions[a].subject) and bool(mentions[b].subject)
                                        and not mentions[a].subject & mentions[b].subject)
            out["speaker_conflict"][p] = same is False
            out["speaker_unmatched"][p] = same is None
        elif said[a] is not None or said[b] is not None:
            keys, other = (said[a], b) if said[a] is not None else (said[b], a)
            named = any(once(named_in, key, mentions[other].headline_words) for key in keys)
            out["speaker_named"][p] = named
            out["speaker_absent"][p] = not named
            # the minister's statement against a report whose lead quotes the water company's chief
            source = mentions[other].source
            out["source_apart"][p] = (not named and source is not None
                                      and once(same_identity, keys, identity(source)) is False)
    home = np.array([bool(h) for h in here])
    away = np.array([bool(t or f) for t, f in zip(there, foreign, strict=True)])
    named = home | away
    only_home, only_away = home & ~away, away & ~home
    out["place_one_sided"][:] = named[i] != named[j]
    out["home_abroad"][:] = (only_home[i] & only_away[j]) | (only_away[i] & only_home[j])
    # a reaction against a report of a happening: read only where one side reacts and the other is
    # quiet; a denial with no one named («تکذیب ماجرای ویدئوی ...») is someone's statement, maybe
    # the reaction's own, not the happening
    reacts = np.array([m.judge is not None for m in mentions])
    quiet = np.array([m.judge is None and m.speaker is None and not m.denial for m in mentions])
    for p in np.flatnonzero((reacts[i] & quiet[j]) | (reacts[j] & quiet[i])).tolist():
        a, b = (int(i[p]), int(j[p])) if reacts[i[p]] else (int(j[p]), int(i[p]))
        key = mentions[a].judge
        # a rally's people are named by another report of that rally («تجمع مردمی ... در گرگان»)
        named = bool(key) and (once(named_in, key, mentions[b].title_words) or key == mentions[b].crowd)
        out["reaction_to_happening"][p] = not named
    # two reactions: their actors, where both are read
    actor = [identity(m.judge) if m.judge else None for m in mentions]
    read = np.array([a is not None for a in actor])
    for p in np.flatnonzero(read[i] & read[j]).tolist():
        out["reactions_apart"][p] = once(same_identity, actor[int(i[p])], actor[int(j[p])]) is not True
    # a reaction and a statement: apart only when the two actors are known to differ («استاندار
    # هرمزگان: ...» and «پیام تسلیت نماینده ولی‌فقیه در هرمزگان ...»); a spokesman's name against
    # his office cannot be told, and stays open
    speaks = np.array([m.judge is None and m.speaker is not None for m in mentions])
    for p in np.flatnonzero((read[i] & speaks[j]) | (speaks[i] & read[j])).tolist():
        a, b = int(i[p]), int(j[p])
        who, other = (actor[a], said[b]) if read[a] else (actor[b], said[a])
        out["reactions_apart"][p] = once(same_identity, who, other) is False
    # two meetings: a visitor's talks with the foreign minister and with the president are two
    meets = np.array([m is not None for m in met])
    meetings_of_identities_apart = partial(meetings_apart, same=same_identity)
    for p in np.flatnonzero(meets[i] & meets[j]).tolist():
        out["meetings_apart"][p] = once(meetings_of_identities_apart, met[int(i[p])], met[int(j[p])])
    # the day's coin and the day's stock index, world gold and Tehran's coin: two markets
    priced = np.array([m.market is not None for m in mentions])
    for p in np.flatnonzero(priced[i] & priced[j]).tolist():
        out["markets_apart"][p] = once(markets_apart, mentions[int(i[p])].market, mentions[int(j[p])].market)
    # metro line 1 and line 4, a gas field's phase 13 and phase 22: two places
    numbered = np.array([bool(m.units) for m in mentions])
    for p in np.flatnonzero(numbered[i] & numbered[j]).tolist():
        out["units_apart"][p] = once(units_apart, mentions[int(i[p])].units, mentions[int(j[p])].units)
    # a phone call and a meeting are two events, whoever took part
    kind = np.array([m.meeting_kind or "" for m in mentions], dtype=object)
    kinds_differ = (kind[i] != kind[j]) & (kind[i] != "") & (kind[j] != "")
    out["meetings_apart"][:] = np.maximum(out["meetings_apart"], kinds_differ)
    return out


def pair_features(
    pairs: np.ndarray,
    vectors: np.ndarray,
    lexical: sp.csr_matrix,
    chars: sp.csr_matrix,
    dense_neighbours: Neighbours,
    mentions: Sequence[Mentions],
    sources: Sequence[str | None],
    docs: Sequence[Sequence[str]],
    crowd_rank: int,
    crowd_floor: float,
) -> np.ndarray:
    """(n_pairs, len(FEATURES)) float32 features of the candidate pairs, in FEATURES order.

    ``lexical`` and ``chars`` are the reference-weighted views (``tfidf_matrix(...,
    reference=True)``, ``char_tfidf(..., reference=True)``) of ``docs`` (lemmas) and the
    head texts; ``dense_neighbours`` reach at least rank ``crowd_rank + 1`` (see
    Neighbours.crowding). A crowd is never taken below ``crowd_floor``: a report in a
    window of six has no 8th neighbour, and an empty crowd would make any pair look close.
    """
    out = np.zeros((len(pairs), len(FEATURES)), np.float32)
    if len(pairs) == 0:
        return out
    i, j = pairs[:, 0], pairs[:, 1]
    dense = by_chunks(lambda a, b: np.einsum("ij,ij->i", vectors[a], vectors[b]).astype(np.float32), i, j)
    crowd = np.maximum(dense_neighbours.crowding(crowd_rank), np.float32(crowd_floor))
    dense_gap = dense - (crowd[i] + crowd[j]) / 2
    _, numbers_conflict = _set_pairs([m.numbers for m in mentions], i, j)
    date_shared, date_conflict = _set_pairs([m.dates for m in mentions], i, j)
    _, year_conflict = _set_pairs([m.years for m in mentions], i, j)
    _, weekday_conflict = _set_pairs([m.weekdays for m in mentions], i, j)
    src = np.array([s or "" for s in sources], dtype=object)
    media = np.array([m.media for m in mentions], bool)
    either_media = (media[i] | media[j]).astype(np.float32)
    char_cos = rowwise_dot(chars, i, j)
    lexical_cos = rowwise_dot(lexical, i, j)
    same_source = ((src[i] == src[j]) & (src[i] != "")).astype(np.float32)
    digest = np.array([m.digest for m in mentions], bool)
    columns = {
        "chars": char_cos,
        "dense_gap": dense_gap,
        "lexical": lexical_cos,
        "rare": _rare_shared(docs, i, j),
        "numbers_conflict": numbers_conflict,
        "same_source": same_source,
        "date_shared": date_shared > 0,
        "date_conflict": np.maximum(date_conflict, year_conflict),
        "weekday_conflict": weekday_conflict,
        "media": either_media,
        "media_chars": either_media * char_cos,
        "media_dense_gap": either_media * dense_gap,
        "same_source_dense": same_source * dense_gap,
        "same_source_lexical": same_source * lexical_cos,
        **_place_speaker_columns(mentions, i, j),
        # a copy of a digest is no other happening (near-duplicates score 0.9 and more)
        "digest": (digest[i] | digest[j]) & (char_cos < DIGEST_COPY),
        "stock_shared": np.zeros(len(i), np.float32),  # needs the texts: clustering.cluster.pair_table
        "figures_next_day": np.zeros(len(i), np.float32),  # needs times: clustering.cluster.pair_table
    }
    for c, name in enumerate(FEATURES):
        out[:, c] = columns[name]
    return out
