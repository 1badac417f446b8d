#!/usr/bin/env python3
"""Print glossdeck's speed and memory figures on a synthetic vault, each with its ratio to the target.

usage: python bench/bench.py [--notes 10000] [--big 50000] [--vault DIR] [--work DIR] [--stages]
`--stages` prints instead where a one-process cold build of the first vault spends its CPU (stages.py).
Figures, not tests: run it on a quiet machine; the targets are issue 17's (docs/performance.md).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_vault import make  # noqa: E402
from stages import run as run_stages  # noqa: E402

GLOSSDECK = [sys.executable, "-c", "from glossdeck.cli import main; main()"]
REF = re.compile(r"\[\^([^\]\s]+)\]")


def scan(vault: Path) -> tuple[float, int]:
    """Read every note and find its footnote references: the floor any harvester stands on."""
    start = time.perf_counter()
    found = 0
    for root, dirs, files in os.walk(vault):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.endswith(".md"):
                found += len(REF.findall((Path(root) / name).read_bytes().decode("utf-8")))
    return time.perf_counter() - start, found


def _tree_memory(pid: int) -> tuple[int, int]:
    """Return (summed RSS, summed PSS) in bytes of a process and its descendants (Linux /proc).

    RSS counts a page the forked workers share with the parent once per process; PSS gives each
    process its share, so the tree's PSS is what it really holds. Both are printed.
    """
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                r = next(int(x.split()[1]) * 1024 for x in fh if x.startswith("VmRSS:"))
            rss += r
            try:
                with open(f"/proc/{p}/smaps_rollup") as fh:
                    pss += next(int(x.split()[1]) * 1024 for x in fh if x.startswith("Pss:"))
            except (OSError, StopIteration):
                pss += r
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except (OSError, StopIteration):
            pass
    return rss, pss


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


LAST_CPU = [0.0]
"""CPU seconds of the last `run`, its workers included (a busy machine stretches wall time, not CPU)."""


def run(args: list[str], cwd: Path) -> tuple[float, tuple[int, int], str]:
    """Run glossdeck; return (seconds, peak (RSS, PSS) of the whole process tree in bytes, stdout)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen([*GLOSSDECK, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = [0, 0]

    def sample() -> None:
        while proc.poll() is None:
            rss, pss = _tree_memory(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    LAST_CPU[0] = _children_cpu() - cpu
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"glossdeck {' '.join(args)} failed with exit code {proc.returncode}")
    return elapsed, (peak[0], peak[1]), out.decode()


def _mem(pair: tuple[int, int]) -> str:
    rss, pss = pair
    return f"{rss / (1 << 20):.0f} MB RSS summed over processes, {pss / (1 << 20):.0f} MB PSS"


def measure(vault: Path, work: Path) -> dict[str, float]:
    """Return every figure for one vault."""
    scan(vault)  # warm the page cache: every figure below reads from memory, as cron does
    t_scan, refs = scan(vault)
    t_build, rss, _ = run(["build", str(vault), "--out", str(work / "built")], work)
    cpu_build = LAST_CPU[0]
    (work / "glossdeck.toml").write_text(f'vault = "{vault}"\nout = "decks"\n', encoding="utf-8")
    t_first, rss_sync, _ = run(["sync"], work)
    for _ in range(3):  # glossdeck's own source edited meanwhile (a dev checkout) means a rebuild
        t_none, _, out = run(["sync"], work)
        if "nothing changed" in out:
            break
    assert "nothing changed" in out, out
    note = next(vault.rglob("*.md"))
    note.write_text(note.read_text(encoding="utf-8") + "\n追記した一文。\n", encoding="utf-8")
    t_one, rss_one, out = run(["sync"], work)
    if not re.search(r"[( ]1 re-read\)", out):  # `(1 re-read)`, or `(N notes, 1 re-read)`
        print("warning: glossdeck's source changed during the run; one-changed figure is a full rebuild")
    return dict(scan=t_scan, refs=refs, build=t_build, cpu_build=cpu_build, rss=rss, first_sync=t_first,
                rss_sync=rss_sync, none=t_none, one=t_one, rss_one=rss_one)


def stages(vault: Path, notes: int, work: Path) -> None:
    """Print the scan, then the CPU of each stage of a one-process cold build of `vault`."""
    if not vault.exists():
        make(vault, notes)
    scan(vault)
    t_scan, _ = scan(vault)
    print(f"scan (read every file + footnote regex): {t_scan:.2f} s wall")
    out = work / "stages-out"
    shutil.rmtree(out, ignore_errors=True)
    run_stages(vault, out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--big", type=int, default=50_000, help="second vault for the scaling figure (0: skip)")
    ap.add_argument("--vault", type=Path, help="benchmark this vault instead of a generated one")
    ap.add_argument("--work", type=Path, help="keep generated vaults and outputs here")
    ap.add_argument("--stages", action="store_true", help="print the CPU of each stage of a one-process cold build")
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="glossdeck-bench-"))
    try:
        if a.stages:
            stages(a.vault or work / f"vault{a.notes}", a.notes, work)
            return
        sizes = [a.notes] + ([a.big] if a.big and not a.vault else [])
        results = {}
        for n in sizes:
            vault = a.vault or work / f"vault{n}"
            if not vault.exists():
                make(vault, n)
            folder = work / f"run{n}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            r = results[n] = measure(vault, folder)
            size = sum(p.stat().st_size for p in vault.rglob("*.md")) / 1e6
            print(f"== {n} notes, {size:.1f} MB, {r['refs']} footnote references ==")
            print(f"scan (read every file + footnote regex): {r['scan']:.2f} s")
            print(f"cold build: {r['build']:.2f} s = {r['build'] / r['scan']:.1f}x scan (target <= 15x, aim 10x); "
                  f"peak {_mem(r['rss'])} (target <= 200 MB); CPU {r['cpu_build']:.2f} s, workers included")
            print(f"first sync (no cache): {r['first_sync']:.2f} s, peak {_mem(r['rss_sync'])}")
            print(f"sync, nothing changed: {r['none']:.2f} s = {r['none'] / r['build']:.3f}x cold build "
                  "(target <= 0.05x)")
            print(f"sync, one note changed: {r['one']:.2f} s = {r['one'] / r['build']:.3f}x cold build "
                  f"(target <= 0.1x); peak {_mem(r['rss_one'])}")
        if len(results) == 2:
            small, big = (results[n] for n in sizes)
            k = sizes[1] / sizes[0]
            print(f"== scaling {sizes[0]} -> {sizes[1]} notes ({k:.0f}x; linear means ratio {k:.1f}) ==")
            for key, label in (("build", "cold build time"), ("none", "nothing-changed sync"),
                               ("one", "one-changed sync")):
                aim = f" (target <= {k:.0f}x)" if key == "one" else ""
                print(f"{label}: {big[key] / small[key]:.2f}x{aim}")
            print(f"cold build peak RSS: {big['rss'][0] / small['rss'][0]:.2f}x, "
                  f"PSS: {big['rss'][1] / small['rss'][1]:.2f}x")
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
