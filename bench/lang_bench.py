"""What a change of language costs: a page's rerun in one language, against the same page rerun
after switching language each time, in the same run (issue 12: catalogs are compiled once per
process, so switching should cost no more than a normal rerun).

    python bench/lang_bench.py [--reps 20] [--pages app.py pages/browse.py pages/country.py]

Runs the pages through Streamlit's AppTest on a fresh seeded SQLite file; prints the median and
p90 per rerun, same language vs a new language each rerun, and their ratio; then the first-use
cost of compiling one catalog (what the first visitor in a language pays, once per process).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument(
        "--pages", nargs="+", default=["app.py", "pages/browse.py", "pages/country.py"]
    )
    args = parser.parse_args()

    from streamlit.testing.v1 import AppTest

    from forumdash import i18n
    from forumdash.db import make_engine
    from forumdash.service import init_database
    from forumdash.ui import lang

    folder = tempfile.mkdtemp(prefix="forumdash-lang-bench-")
    url = f"sqlite:///{folder}/forum.db"
    init_database(make_engine(url))
    os.environ["FORUMDASH_DATABASE_URL"] = url
    os.chdir(ROOT)

    started = time.perf_counter()
    i18n.translations.cache_clear()
    i18n.translations("sr")
    compile_ms = (time.perf_counter() - started) * 1000

    tags = list(i18n.TAGS)
    print(f"{'page':<22} {'same language':>22} {'switching':>22} {'ratio':>7}")
    for script in args.pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        shown = "sq"  # the language of the page on screen
        at.query_params["lang"] = shown
        at.run()
        if script != "app.py":
            with i18n.language(shown):
                at.switch_page(script).run()

        def rerun(tag: str, at: AppTest = at) -> float:
            # AppTest sends the widgets' values back formatted in the test's thread: it must
            # speak the language the page on screen was drawn in.
            nonlocal shown
            at.query_params["lang"] = tag
            with i18n.language(shown):
                started = time.perf_counter()
                at.run()
                took = time.perf_counter() - started
            assert not at.exception, at.exception
            shown = tag
            return took

        for tag in tags:  # every catalog compiled before timing: the steady state
            rerun(tag)
        rerun("sq")
        same: list[float] = []
        switching: list[float] = []
        for rep in range(args.reps):
            same.append(rerun("sq"))
            other = tags[rep % len(tags)]
            switching.append(rerun(other if other != "sq" else "mk"))
            rerun("sq")
        assert at.session_state[lang.KEY] in tags

        def figures(values: list[float]) -> str:
            ordered = sorted(values)
            p90 = ordered[int(0.9 * (len(ordered) - 1))]
            return f"{statistics.median(values) * 1000:7.1f} / {p90 * 1000:7.1f} ms"

        ratio = statistics.median(switching) / statistics.median(same)
        print(f"{script:<22} {figures(same):>22} {figures(switching):>22} {ratio:>6.2f}x")
    print(f"(median / p90 per rerun, {args.reps} reruns each; same = Albanian again,")
    print(" switching = another language on each rerun)")
    print(f"first use of a catalog (compile sr from .po, once per process): {compile_ms:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
