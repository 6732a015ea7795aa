#!/usr/bin/env python3
"""Does a change to the knowledge base keep what `plansjekk search` finds?

Runs two plansjekk builds on the same documents (the bundled corpus, the
genre fixtures and the Nynorsk fixture: Bokmål and Nynorsk plans) and asks
both the same queries, made from the documents' goal and measure titles as
the first build read them:

  - every word of three letters or more in a title ("bustader", "næringsliv"),
  - the first five letters of each word of eight or more ("kompe", "samar"),
  - each word with a hyphen or slash as it is written ("Midt-Troms"),
  - each pair of neighbouring words ("felles kompetanse").

For each query it compares the goals and measures found (document and id)
and every passage found (document, kind, line), and prints the queries whose
results differ, then the totals.

    tools/search-quality.py OLD_BINARY NEW_BINARY [--limit N]
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INPUTS = ["corpus", "fixtures/genre", "fixtures/nynorsk-handlingsplan.txt"]


def run(binary, out):
    paths = [os.path.join(ROOT, p) for p in INPUTS]
    r = subprocess.run(
        [binary, "run", "--in-process", "--out", out, *paths],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if r.returncode not in (0, 1):
        sys.exit(f"{binary} run failed: {r.stderr.decode()[-2000:]}")


def queries(out):
    words, pieces = set(), set()
    docs = os.path.join(out, "documents")
    for name in sorted(os.listdir(docs)):
        with open(os.path.join(docs, name), encoding="utf-8") as f:
            rec = json.load(f)
        for item in rec["goals"] + rec["measures"]:
            title = item["title"]
            tokens = [t for t in re.findall(r"[\w/-]+", title) if re.search(r"\w", t)]
            for t in tokens:
                if re.search(r"[-/]", t.strip("-/")):
                    pieces.add(t.strip("-/"))
                for w in re.findall(r"[^\W_]+", t):
                    if len(w) >= 3 and not w.isdigit():
                        words.add(w.lower())
            plain = [w.lower() for w in re.findall(r"[^\W_]+", title) if len(w) >= 3]
            for a, b in zip(plain, plain[1:]):
                words.add(f"{a} {b}")
    prefixes = {w[:5] for w in words if " " not in w and len(w) >= 8}
    return sorted(words) + sorted(prefixes) + sorted(pieces)


def search(binary, out, query, limit):
    r = subprocess.run(
        [binary, "search", *query.split(" "), "--limit", str(limit), "--format", "json", "--out", out],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    if r.returncode not in (0, 1):
        return None
    hits = json.loads(r.stdout or b"[]")
    found = {(h["document"], h["ref"]) for h in hits if h["kind"] in ("goal", "measure")}
    passages = {(h["document"], h["kind"], h["line"]) for h in hits}
    return found, passages


def main():
    args = sys.argv[1:]
    limit = 10000
    if "--limit" in args:
        i = args.index("--limit")
        limit = int(args[i + 1])
        del args[i : i + 2]
    old, new = args
    work = tempfile.mkdtemp(prefix="plansjekk-quality-")
    try:
        o, n = os.path.join(work, "old"), os.path.join(work, "new")
        run(old, o)
        run(new, n)
        qs = queries(o)
        same_goals = same_all = 0
        found_old = found_new = 0
        for q in qs:
            a, b = search(old, o, q, limit), search(new, n, q, limit)
            if a is None or b is None:
                print(f"  {q!r}: an error ({'old' if a is None else 'new'})")
                continue
            found_old += len(a[0])
            found_new += len(b[0])
            same_goals += a[0] == b[0]
            same_all += a[1] == b[1]
            if a[0] != b[0] or a[1] != b[1]:
                print(
                    f"  {q!r}: goals/measures {len(a[0])} -> {len(b[0])} "
                    f"(only old {sorted(a[0] - b[0])[:3]}, only new {sorted(b[0] - a[0])[:3]}); "
                    f"passages {len(a[1])} -> {len(b[1])}"
                )
        print(f"{len(qs)} queries from goal and measure titles ({', '.join(INPUTS)}):")
        print(f"  same goals and measures found: {same_goals}/{len(qs)} "
              f"({found_old} found before, {found_new} after)")
        print(f"  same passages found:           {same_all}/{len(qs)}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
