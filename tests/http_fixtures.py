"""A real HTTP server on 127.0.0.1 serving fixture feeds and pages, good and hostile.

Routes (all under one server):
  /isna/rss.xml       RSS 2.0, two items; honours If-None-Match (ETag "v1") with 304
  /isna/news/N.html   an agency page with meta tags, a script, an iframe and onclick
  /mehr/atom.xml      Atom feed with one entry whose page is oversized
  /flaky/rss.xml      500 twice, then the feed (a server that recovers)
  /down/rss.xml       always 503
  /slow/rss.xml       answers after 3 s (longer than the tests' timeout)
  /bad/rss.xml        malformed XML
  /moved/rss.xml      302 to /isna/rss.xml
  /evil/scheme.xml    302 to file:///etc/passwd
  /evil/private.xml   302 to the cloud metadata address 169.254.169.254
  /bomb/rss.xml       "billion laughs" entity expansion
  /xxe/rss.xml        an external entity reading /etc/passwd
  /soak/rss.xml       RSS of ``state.soak_items``; 500 while ``state.soak_fail`` counts down
                      (benchmarks/soak.py: a wire feed that goes down for a while)
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

PAGE = """<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8">
<title>{title} - خبرگزاری ایسنا</title>
<meta property="og:title" content="{title}">
<meta name="description" content="{lead}">
<meta property="article:published_time" content="{when}">
<script>document.title = "hacked"</script>
</head><body><nav><a href="/">صفحه اصلی</a> | <a href="/sport">ورزشی</a></nav>
<article><h1>{title}</h1><p class="lead">{lead}</p>
<p>به گزارش ایسنا، {body}</p>
<p onclick="alert('x')">{body2}</p>
<iframe src="https://ads.example/frame"></iframe>
</article><footer>کلیه حقوق محفوظ است</footer></body></html>"""

ITEMS = [
    ("زلزله ۵.۱ ریشتری کوهبنان کرمان را لرزاند", "۲۷ نفر در زلزله کوهبنان مصدوم شدند.",
     "زلزله‌ای به بزرگی ۵.۱ ریشتر بامداد چهارشنبه شهرستان کوهبنان در استان کرمان را لرزاند و به گفته رئیس "
     "مرکز مدیریت بحران استان ۲۷ نفر مصدوم شدند.",
     "تیم‌های امدادی هلال احمر به منطقه اعزام شدند و ۱۴۰ واحد مسکونی خسارت دیده است.",
     "2025-11-19T02:50:00+03:30"),
    ("نرخ سوم بنزین ۵ هزار تومان تعیین شد", "سخنگوی دولت از تعیین نرخ سوم بنزین خبر داد.",
     "سخنگوی دولت امروز در نشست خبری گفت نرخ سوم بنزین برای مصرف بیش از سهمیه ۵ هزار تومان تعیین شده است.",
     "این تصمیم از ابتدای آذر اجرا می‌شود و سهمیه‌های فعلی تغییری نمی‌کند.",
     "2025-11-18T09:50:00+03:30"),
]


def rss(base: str) -> bytes:
    items = "".join(
        f"<item><title>{t}</title><link>{base}/isna/news/{i}.html</link><guid>isna-{i}</guid>"
        f"<description><![CDATA[<p>{lead}</p>]]></description><pubDate>Wed, 19 Nov 2025 0{i}:00:00 +0330</pubDate></item>"
        for i, (t, lead, _b, _b2, _w) in enumerate(ITEMS, 1)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>ISNA</title>'
            f"{items}</channel></rss>").encode()


def atom(base: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Mehr</title>'
            f'<entry><title>بارش برف در گردنه‌های شمالی</title><link href="{base}/mehr/news/9.html"/>'
            f"<id>mehr-9</id><published>2025-11-21T08:00:00+03:30</published>"
            f"<summary>پلیس راه از بارش برف در گردنه‌های شمالی کشور و لزوم همراه داشتن زنجیر چرخ خبر داد.</summary>"
            f"</entry></feed>").encode()


BOMB = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><item><title>&lol9;</title><description>x</description></item></channel></rss>"""

XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&xxe;</title><description>x</description></item></channel></rss>"""


class FixtureServer:
    """The server's base URL and how many times each path was requested."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.base = ""
        self.big_bytes = 3_000_000
        self.soak_items: list[dict] = []  # id, title, body, url, published (aware datetime)
        self.soak_fail = 0  # the next this many requests of /soak/rss.xml get a 500


def soak_rss(items: list[dict]) -> bytes:
    """An RSS feed whose items carry the whole report in their description."""
    entries = "".join(
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['url'])}</link><guid>{escape(i['id'])}</guid>"
        f"<description>{escape(i['body'])}</description><pubDate>{format_datetime(i['published'])}</pubDate></item>"
        for i in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>soak wire</title>'
            f"{entries}</channel></rss>").encode()


def _handler(state: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def send(self, status: int, body: bytes = b"", ctype: str = "application/xml",
                 headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            state.hits[path] += 1
            base = state.base
            if path == "/isna/rss.xml":
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send(304)
                else:
                    self.send(200, rss(base), headers={"ETag": '"v1"'})
            elif path.startswith("/isna/news/"):
                n = int(path.rsplit("/", 1)[1].split(".")[0])
                t, lead, body, body2, when = ITEMS[n - 1]
                page = PAGE.format(title=t, lead=lead, body=body, body2=body2, when=when)
                self.send(200, page.encode(), "text/html; charset=utf-8")
            elif path == "/mehr/atom.xml":
                self.send(200, atom(base))
            elif path == "/mehr/news/9.html":
                self.send(200, b"<html><body>" + b"x" * state.big_bytes + b"</body></html>", "text/html")
            elif path == "/flaky/rss.xml":
                if state.hits[path] <= 2:
                    self.send(500, b"busy")
                else:
                    self.send(200, rss(base))
            elif path == "/down/rss.xml":
                self.send(503, b"down")
            elif path == "/slow/rss.xml":
                time.sleep(3)
                self.send(200, rss(base))
            elif path == "/bad/rss.xml":
                self.send(200, b"<rss><channel><item><title>unclosed")
            elif path == "/moved/rss.xml":
                self.send(302, headers={"Location": "/isna/rss.xml"})
            elif path == "/evil/scheme.xml":
                self.send(302, headers={"Location": "file:///etc/passwd"})
            elif path == "/evil/private.xml":
                self.send(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
            elif path == "/bomb/rss.xml":
                self.send(200, BOMB)
            elif path == "/xxe/rss.xml":
                self.send(200, XXE)
            elif path == "/soak/rss.xml":
                if state.soak_fail > 0:
                    state.soak_fail -= 1
                    self.send(500, b"wire down")
                else:
                    self.send(200, soak_rss(state.soak_items))
            else:
                self.send(404, b"not found", "text/plain")

    return Handler


@contextmanager
def fixture_server() -> Iterator[FixtureServer]:
    """Serve the fixtures on a free 127.0.0.1 port for the length of the block."""
    state = FixtureServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def registry_toml(base: str, feeds: dict[str, list[str]]) -> str:
    """A source registry whose sources poll the given fixture paths."""
    names = {"isna": "ایسنا", "mehr": "مهر", "flaky": "فلکی", "down": "داون", "slow": "کند", "bad": "خراب",
             "moved": "منتقل", "evil": "بدخواه", "bomb": "بمب", "xxe": "ایکس"}
    out = []
    for key, paths in feeds.items():
        urls = ", ".join(f'"{base}{p}"' for p in paths)
        out.append(f'[sources.{key}]\nname = "{names.get(key, key)}"\naliases = ["{names.get(key, key)}"]\n'
                   f'domains = []\nfeeds = [{urls}]\n')
    return "\n".join(out)
