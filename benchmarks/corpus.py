"""A scale corpus generated at run time (seeded) from the sample corpus and ../shared/eval texts
(the sample corpus alone when ../shared/eval is not there: benchmarks.eval_data says which).

Nothing generated is committed. Each event gets 1-4 reports from different agencies within
hours of each other; a report is the event's sentences (shuffled, some dropped) padded with
sentences of other texts to about 20, under an agency dateline, with timestamps spread over
30 days. Realistic enough in length, vocabulary and neighbourhood structure to measure
speed and memory; it has no gold labels and is not for quality.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.eval_data import EvalData, eval_data

ROOT = Path(__file__).resolve().parent.parent
AGENCIES = {"isna": "ایسنا", "irna": "ایرنا", "mehr": "خبرگزاری مهر", "tasnim": "خبرگزاری تسنیم",
            "borna": "برنا", "fars": "خبرگزاری فارس", "ilna": "ایلنا"}
_SPLIT = re.compile(r"(?<=[.!؟?])\s+")


@dataclass(frozen=True)
class Text:
    title: str
    sentences: list[str]


def pool(data: EvalData | None = None) -> list[Text]:
    """Titles and sentences of every text dastan may read for this: samples and dev sets
    (``data``: default, the sets :func:`benchmarks.eval_data.eval_data` finds, said by the caller)."""
    texts: list[Text] = []
    for line in (ROOT / "data" / "samples" / "agencies.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        texts.append(Text(r["title"], [s for s in _SPLIT.split(r["body"].replace("\n", " ")) if len(s) > 20]))
    for items in (data or eval_data(say=False)).items():
        for line in items.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            sents = [s for s in _SPLIT.split(r.get("body", "").replace("\n", " ")) if len(s) > 20]
            texts.append(Text(r["title"], sents or [r["title"]]))
    return texts


def generate(n_articles: int, seed: int = 7, days: int = 30, sentences: int = 20,
             start: datetime = datetime(2025, 10, 1, tzinfo=UTC)) -> list[dict]:
    """``n_articles`` JSON records (id, source, title, body, url, published)."""
    rng = random.Random(seed)
    texts = pool()
    filler = [s for t in texts for s in t.sentences]
    out: list[dict] = []
    event = 0
    while len(out) < n_articles:
        base = rng.choice(texts)
        when = start + timedelta(minutes=rng.randrange(days * 24 * 60))
        n_reports = min(rng.choice([1, 1, 2, 2, 3, 4]), n_articles - len(out))
        for source in rng.sample(sorted(AGENCIES), n_reports):
            own = [s for s in base.sentences if rng.random() > 0.25] or base.sentences[:1]
            rng.shuffle(own)
            body = own + [rng.choice(filler) for _ in range(max(0, sentences - len(own)))]
            body[0] = f"به گزارش {AGENCIES[source]}، {body[0]}"
            n = len(out)
            out.append({
                "id": f"gen-{seed}-{n}",
                "source": source,
                "title": base.title if rng.random() < 0.5 else f"{base.title} ({rng.randint(1, 99)})",
                "body": "\n".join(" ".join(body[i:i + 4]) for i in range(0, len(body), 4)),
                "url": f"https://www.example-{source}.ir/news/{seed}/{n}",
                "published": (when + timedelta(minutes=rng.randrange(600))).isoformat(),
            })
        event += 1
    return out


def write_jsonl(records: list[dict], path: Path) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path
