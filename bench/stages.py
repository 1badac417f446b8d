"""Where a cold build's CPU goes, stage by stage, in one process (`bench.py --stages`).

Each stage is a glossdeck function wrapped, for this run only, in a timer that adds the CPU time
(time.process_time) spent in it, less the time of any stage it calls, to the stage's total: the
figures are self times and add up to the build. Nothing in glossdeck is instrumented, so a normal
run pays nothing. A stage whose function is not found (renamed) is listed as missing. A timed
call costs ~1.5 us (two process_time reads, each a system call): measured first, taken off each
stage (calls x cost) and shown on a line of its own.
"""

from __future__ import annotations

import importlib
import os
import pickle
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# (stage, module, attribute): a function, `Class.method`, or `RENDERERS[key]` (a dict's value).
STAGES = [
    ("walk", "glossdeck.vault.walk", "walk"),
    ("read", "glossdeck.vault.files", "read_file"),
    ("hash", "glossdeck.parallel", "digest"),
    ("decode", "glossdeck.vault.files", "note_text"),
    ("frontmatter", "glossdeck.vault.frontmatter", "split_frontmatter"),
    ("block parse: scanner, pieces", "glossdeck.vault.markdown", "parse_body"),
    ("block parse: markdown-it", "glossdeck.vault.mdit", "MD.parse"),
    ("token reader", "glossdeck.vault.markdown", "_Reader.read"),
    ("token reader", "glossdeck.vault.markdown", "_Reader.text"),
    ("note objects", "glossdeck.vault", "parse_note"),
    ("typos", "glossdeck.lint", "resolved_typos"),
    ("harvest plain", "glossdeck.harvest.plain", "plain_note"),
    ("cache rows", "glossdeck.rows", "note_row"),
    ("rows compacted in main", "glossdeck.rows", "compact"),
    ("merge", "glossdeck.normalise", "Merging.add"),
    ("merge", "glossdeck.normalise", "Merging.entries"),
    ("corrections", "glossdeck.pipeline", "correct"),
    ("identity", "glossdeck.pipeline", "load_registry"),
    ("identity", "glossdeck.pipeline", "identify"),
    ("identity", "glossdeck.identity", "updated"),
    ("identity", "glossdeck.identity", "save"),
    ("stamp", "glossdeck.pipeline", "stamp"),
]


PICKLING = "pickling (as the pool would)"


class Timers:
    """Self-time CPU accumulators for nested stages."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.stack: list[str] = []
        self.mark = time.process_time()

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Return `fn` timed as `stage`."""
        clock, cpu, stack = time.process_time, self.cpu, self.stack

        def timed(*args: Any, **kwargs: Any) -> Any:
            now = clock()
            if stack:
                cpu[stack[-1]] += now - self.mark
            stack.append(stage)
            self.calls[stage] += 1
            self.mark = now
            try:
                return fn(*args, **kwargs)
            finally:
                now = clock()
                cpu[stack.pop()] += now - self.mark
                self.mark = now

        return timed


def overhead(n: int = 20000) -> float:
    """Return the CPU seconds one timed call adds (two clock reads and the wrapper), measured."""
    probe = Timers()
    noop = probe.wrap("probe", lambda: None)
    probe.stack.append("outer")
    start = time.process_time()
    for _ in range(n):
        noop()
    return (time.process_time() - start) / n


def _glossdeck_modules() -> list[Any]:
    return [m for name, m in list(sys.modules.items()) if name.startswith("glossdeck") and m is not None]


def _rebind(old: Any, new: Any) -> int:
    """Point every glossdeck module global (and dict value) that is `old` at `new`; return how many."""
    n = 0
    for module in _glossdeck_modules():
        for name, value in list(vars(module).items()):
            if value is old:
                setattr(module, name, new)
                n += 1
            elif isinstance(value, dict) and not name.startswith("__"):
                for key, item in list(value.items()):
                    if item is old:
                        value[key] = new
                        n += 1
    return n


def install(timers: Timers) -> list[str]:
    """Wrap every stage's function; return the stages not found."""
    missing = []
    for stage, modname, attr in STAGES:
        try:
            module = importlib.import_module(modname)
            owner_name, _, name = attr.rpartition(".")
            owner = getattr(module, owner_name) if owner_name else module
            old = getattr(owner, name)
        except (ImportError, AttributeError):
            missing.append(f"{stage} ({modname}.{attr})")
            continue
        new = timers.wrap(stage, old)
        if owner_name:
            setattr(owner, name, new)  # a class's method or an instance's attribute
        elif not _rebind(old, new):
            missing.append(f"{stage} ({modname}.{attr})")
    _harvesters(timers)
    _renderers(timers)
    _pickling(timers)
    return missing


def _harvesters(timers: Timers) -> None:
    from dataclasses import replace

    import glossdeck.harvest as harvest

    places = harvest.places()
    places[:] = [replace(place, harvest=timers.wrap(f"harvest {place.name}", place.harvest)) for place in places]


def _renderers(timers: Timers) -> None:
    import glossdeck.writing as writing

    for fmt, render in list(writing.RENDERERS.items()):
        writing.RENDERERS[fmt] = timers.wrap(f"export {fmt}", render)


def _pickling(timers: Timers) -> None:
    """Time what a worker pool adds per note: the row pickled in the worker, unpickled in the main process."""
    import glossdeck.parallel as parallel

    def transfer(row: Any) -> Any:
        pickle.loads(pickle.dumps(row, pickle.HIGHEST_PROTOCOL))
        return row

    timed = timers.wrap(PICKLING, transfer)
    harvest_file = parallel.harvest_file
    parallel.harvest_file = lambda *args: timed(harvest_file(*args))


def run(vault: Path, out: Path) -> None:
    """Build `vault` into `out` in one process with every stage timed; print the table."""
    os.environ["GLOSSDECK_JOBS"] = "1"
    from glossdeck.pipeline import Options, build

    cost = overhead()
    timers = Timers()
    missing = install(timers)
    start = time.process_time()
    timers.mark = start
    timers.stack.append("other")
    build(Options(vault=vault, out=out))
    total = time.process_time() - start
    timers.cpu["other"] += time.process_time() - timers.mark
    for stage, calls in timers.calls.items():  # each stage less what its own timers cost
        timers.cpu[stage] = max(0.0, timers.cpu[stage] - calls * cost)
    timers.cpu[f"timers ({cost * 1e6:.1f} us a call)"] = cost * sum(timers.calls.values())
    extra = timers.cpu[PICKLING]
    scanner = "off (GLOSSDECK_SCANNER=0)" if os.environ.get("GLOSSDECK_SCANNER") == "0" else "on"
    print(f"== CPU by stage, one process, block scanner {scanner}: build {total - extra:.2f} s "
          f"(+ {extra:.2f} s pickling measured beside it) ==")
    print(f"{'stage':<34}{'CPU s':>8}{'share':>8}{'calls':>10}")
    for stage, cpu in sorted(timers.cpu.items(), key=lambda kv: -kv[1]):
        print(f"{stage:<34}{cpu:>8.2f}{cpu / total:>8.1%}{timers.calls[stage]:>10}")
    print("(shares of the build plus pickling; pickling is not part of a one-process build: it is what a worker")
    print(" pool adds, each row pickled and unpickled once here; other: the build's own glue)")
    for stage in missing:
        print(f"missing: {stage}")
