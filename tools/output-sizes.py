#!/usr/bin/env python3
"""How big a run's output folder is, per document and per MB of the documents' text.

Issue 23 asks for outputs of at most twice the documents' own text; this
measures it, split by output (knowledge base, records, CSVs, report), on a
batch of many documents: the bundled corpus copied N times, each copy made
distinct (a trailing comment line), as `benches/pipeline.rs` builds its
batches. It prints the run's time too, and where the knowledge base's bytes
go (SQLite's dbstat: pages per table and index).

"The documents' own text" is what plansjekk read of them: the running text
(headings, paragraphs, list items) and the tables' cells, in UTF-8 bytes,
taken from the knowledge base of the run (passages that are not goals or
measures, and cells), so the denominator does not depend on the format a
document came in.

    tools/output-sizes.py BINARY [COPIES] [--keep DIR] [-- extra run args]

e.g. `tools/output-sizes.py target/release/plansjekk 100`.

Measured (1 000 documents, 28.6 KB of text each), KB per document:
            sqlite  documents/  report/  CSVs+tables/  total (× text)
  trigram    231.1        99.2     18.2          14.7  363.8 (12.7)
  words      118.8       101.3     27.5          14.8  263.4 (9.2)
  lean        73.1        27.5     27.5          14.8  143.9 (5.0)
(words: the FTS5 word index, cells without a second copy of their key;
`-- --substring-search` gives the trigram index back: sqlite 224 KB.
lean: passages and cells keyed by the document's number, the word index
without positions, records compact and without the running text, whose
home is the knowledge base. report/ counts report.html too.)
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make_inputs(dest, copies):
    corpus = os.path.join(ROOT, "corpus")
    files = sorted(
        os.path.join(corpus, f)
        for f in os.listdir(corpus)
        if os.path.isfile(os.path.join(corpus, f))
    )
    os.makedirs(dest)
    n = 0
    for i in range(copies):
        for src in files:
            with open(src, "rb") as f:
                data = f.read()
            # Distinct bytes, as a real collection's documents are (after
            # %%EOF a PDF reader ignores them; a text gains a last line).
            data += b"\n% copy " + str(i).encode() + b"\n"
            with open(os.path.join(dest, f"{i:04}-{os.path.basename(src)}"), "wb") as f:
                f.write(data)
            n += 1
    return n


def tree_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for d, _, names in os.walk(path):
        for name in names:
            total += os.path.getsize(os.path.join(d, name))
    return total


def text_bytes(kb):
    c = sqlite3.connect(kb)
    running = c.execute(
        "SELECT coalesce(sum(length(CAST(body AS BLOB))), 0) FROM passages "
        "WHERE kind NOT IN ('goal', 'measure')"
    ).fetchone()[0]
    cells = c.execute(
        "SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM cells"
    ).fetchone()[0]
    return running + cells


def kb_breakdown(kb):
    c = sqlite3.connect(kb)
    rows = c.execute(
        "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
    ).fetchall()
    # The FTS index's shadow tables together, the rest by name.
    grouped = {}
    for name, size in rows:
        key = "passages_fts (all shadow tables)" if name.startswith("passages_fts") else name
        grouped[key] = grouped.get(key, 0) + size
    return sorted(grouped.items(), key=lambda kv: -kv[1])


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        extra = args[args.index("--") + 1 :]
        args = args[: args.index("--")]
    keep = None
    if "--keep" in args:
        i = args.index("--keep")
        keep = args[i + 1]
        del args[i : i + 2]
    binary = args[0]
    copies = int(args[1]) if len(args) > 1 else 100
    work = tempfile.mkdtemp(prefix="plansjekk-sizes-")
    try:
        inp = os.path.join(work, "in")
        out = keep or os.path.join(work, "out")
        if keep and os.path.exists(keep):
            shutil.rmtree(keep)
        n = make_inputs(inp, copies)
        start = time.time()
        r = subprocess.run(
            [binary, "run", "--in-process", "--jobs", "2", "--out", out, inp, *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wall = time.time() - start
        if r.returncode not in (0, 1):
            sys.exit(f"run failed ({r.returncode}): {r.stderr.decode()[-2000:]}")
        kb = os.path.join(out, "plansjekk.sqlite")
        text = text_bytes(kb)
        inputs = tree_bytes(inp)
        parts = [
            ("plansjekk.sqlite", tree_bytes(kb)),
            ("documents/", tree_bytes(os.path.join(out, "documents"))),
            ("report.html", tree_bytes(os.path.join(out, "report.html"))),
            ("report/", tree_bytes(os.path.join(out, "report"))),
            ("tables/", tree_bytes(os.path.join(out, "tables"))),
        ]
        named = {p for p, _ in parts}
        csv = sum(
            tree_bytes(os.path.join(out, f))
            for f in os.listdir(out)
            if f.endswith(".csv") and f not in named
        )
        parts.append(("*.csv", csv))
        rest = tree_bytes(out) - sum(s for _, s in parts)
        parts.append(("rest (manifest, datapackage, marker)", rest))
        total = tree_bytes(out)
        print(f"{n} documents ({copies} copies of corpus/), inputs {inputs / 1e6:.1f} MB, "
              f"text read {text / 1e6:.2f} MB ({text / n / 1e3:.1f} KB/document)")
        print(f"run --in-process --jobs 2 {' '.join(extra)}: {wall:.1f} s wall")
        print(f"{'output':<38}{'KB/document':>12}{'× text':>9}{'MB total':>10}")
        for name, size in parts + [("total", total)]:
            print(f"{name:<38}{size / n / 1e3:>12.1f}{size / text:>9.2f}{size / 1e6:>10.1f}")
        print("knowledge base by table and index (dbstat):")
        for name, size in kb_breakdown(kb)[:12]:
            print(f"  {name:<36}{size / n / 1e3:>12.1f}{size / text:>9.2f}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
