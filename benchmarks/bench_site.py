"""How the site build scales, against bare MkDocs Material with the same number of pages.

    python benchmarks/bench_site.py                    # 100, 1,000 and 10,000 improvements
    python benchmarks/bench_site.py --sizes 100 1000 --repeat 3
    python benchmarks/bench_site.py --sizes 1000 --engines mkdocs zensical

For each size it generates a synthetic register (N improvements, N/25 metrics, 36 monthly
snapshots) and a baseline project (bare Material: the same number of pages with comparable
Markdown, a compact nav, no macros, no charts), then builds, alternating: the baseline, our
site with an empty chart cache (cold), again with a warm one (warm), and once more after
editing one improvement's value (what `mkdocs serve` does on a save: the build should draw
the value/effort chart and no other). Each build runs in a fresh process, so peak RSS is
that build's own. It prints wall time, peak RSS and site size (medians), the ratios to the
baseline, `csi check` alone and the charts alone, then checks the targets.

With `--engines mkdocs zensical` it also builds the same site with Zensical (`csi build
--engine zensical`, its work folder emptied for the cold build) and reports both side by
side; the target there: Zensical's warm build no slower than MkDocs'.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path[:0] = [str(HERE), str(PROJECT)]

from synthetic import write_synthetic  # noqa: E402

EPOCH = "1795564800"  # 2026-11-25: the synthetic registers' "today"

# Runs one command in a child and reports its wall time and the peak RSS of it and its children.
MEASURE = textwrap.dedent("""
    import resource, subprocess, sys, time
    start = time.perf_counter()
    code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(code, elapsed, rss)
""")


# Charts alone, cold: load the register, draw every chart into an empty cache.
CHARTS = textwrap.dedent("""
    import sys
    from pathlib import Path
    from csi_macros import load_register
    from csi_macros.site.charts import render_charts
    render_charts(load_register(sys.argv[1]), Path(sys.argv[2]))
""")


@dataclass
class Run:
    seconds: float
    rss_mib: float
    size_mib: float
    charts: str = ""  # what the build said about its charts, when it was not quiet


def measure(command: list[str], env: dict[str, str], site: Path | None = None) -> Run:
    result = subprocess.run([sys.executable, "-c", MEASURE, *command], env=env, cwd=PROJECT,
                            capture_output=True, text=True, check=True)
    output = result.stdout.split()
    code, seconds, rss_kib = int(output[0]), float(output[1]), int(output[2])
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(command)}\n{result.stderr}")
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) if site else 0
    charts = re.search(r"Charts: (.*)", result.stderr)
    return Run(seconds, rss_kib / 1024, size / 2**20, charts.group(1) if charts else "")


def value_edit(register: Path) -> tuple[Path, str, str]:
    """The first open improvement with a value: its file, the file's text, and that text
    with the value moved by one (an edit that only the value/effort chart draws)."""
    for path in sorted((register / "improvements").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        record = yaml.safe_load(text)
        if record["status"] in ("proposed", "approved", "in_progress") and record.get("value"):
            return path, text, text.replace(f"\nvalue: {record['value']}\n",
                                      f"\nvalue: {record['value'] % 5 + 1}\n")
    raise SystemExit(f"{register}: no open improvement with a value to edit")


def baseline_project(register: Path, folder: Path) -> Path:
    """Bare Material: one page per improvement and metric with comparable Markdown."""
    docs = folder / "docs"
    for sub in ("register", "metrics"):
        (docs / sub).mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Home\n\nBaseline.\n")
    rows = []
    for path in sorted((register / "improvements").glob("*.yml")):
        record = yaml.safe_load(path.read_text())
        rows.append(f"| [{record['id']}]({record['id']}.md) | {record['title']} | {record['status']} |")
        actions = "\n".join(f"- [{'x' if a['done'] else ' '}] {a['title']} ({a['owner']}, {a['due']})"
                            for a in record["actions"])
        log = "\n".join(f"- {e['date']}: {e['note']}" for e in record["log"])
        (docs / "register" / f"{record['id']}.md").write_text(
            f"# {record['id']} {record['title']}\n\n| Status | Priority | Owner |\n|---|---|---|\n"
            f"| {record['status']} | {record['priority']} | {record['owner']} |\n\n"
            f"## Description\n\n{record['description']}\n\n## Benefits\n\n{record['benefits']}\n\n"
            f"## Where are we now?\n\n{record['model']['current_state']}\n\n"
            f"## Where do we want to be?\n\n{record['model']['target_state']}\n\n"
            f"## Actions\n\n{actions}\n\n## Log\n\n{log}\n")
    (docs / "register" / "index.md").write_text(
        "# Register\n\n| Id | Title | Status |\n|---|---|---|\n" + "\n".join(rows) + "\n")
    for path in sorted((register / "metrics").glob("*.yml")):
        record = yaml.safe_load(path.read_text())
        (docs / "metrics" / f"{record['id']}.md").write_text(
            f"# {record['name']}\n\n{record['description']}\n\n| Date | Value |\n|---|---|\n"
            + "\n".join(f"| 2026-{m:02d}-28 | {m} |" for m in range(1, 13)) + "\n")
    (folder / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "Baseline", "theme": {"name": "material", "font": False},
        "plugins": ["search"], "markdown_extensions": ["tables", "attr_list", "md_in_html"],
        "nav": [{"Home": "index.md"}, {"Register": "register/index.md"}],
        "validation": {"nav": {"omitted_files": "ignore"}}}))
    return folder / "mkdocs.yml"


def engine_command(engine: str, site: Path) -> list[str]:
    """Our site's build with `engine` (quiet where the engine can be)."""
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(PROJECT / "mkdocs.yml"),
                "-d", str(site)]
    return [sys.executable, "-m", "csi_macros.cli", "build", "--engine", engine,
            "-f", str(PROJECT / "mkdocs.yml"), "-d", str(site)]


def kind_name(engine: str, kind: str) -> str:
    """The key of a build kind in the results: "warm" for MkDocs, "zensical warm"."""
    return kind if engine == "mkdocs" else f"{engine} {kind}"


def bench_size(size: int, repeat: int, work: Path,
               engines: tuple[str, ...] = ("mkdocs",)) -> dict[str, list[Run]]:
    register = write_synthetic(work / f"register-{size}", size)
    base_config = baseline_project(register, work / f"baseline-{size}")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "CSI_REGISTER_DIR": str(register)}
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    runs: dict[str, list[Run]] = {kind: [] for kind in ("baseline", "check", "charts")}
    for engine in engines:
        runs.update({kind_name(engine, kind): [] for kind in ("cold", "warm", "edit")})
    edited, original_text, edited_text = value_edit(register)
    for attempt in range(repeat):
        cache = work / f"cache-{size}-{attempt}"
        site = work / f"site-{size}"
        runs["baseline"].append(measure([*mkdocs, "-f", str(base_config), "-d", str(site)], env, site))
        for engine in engines:
            zensical_work = work / f"zensical-{size}"
            shutil.rmtree(zensical_work, ignore_errors=True)
            cold_env = {**env, "CSI_CHART_CACHE": str(cache), "CSI_ZENSICAL_DIR": str(zensical_work)}
            ours = engine_command(engine, site)
            runs[kind_name(engine, "cold")].append(measure(ours, cold_env, site))
            runs[kind_name(engine, "warm")].append(measure(ours, cold_env, site))
            # One improvement's value edited, as under `mkdocs serve`: not quiet, to read the
            # build's own account of the charts it drew.
            edited.write_text(edited_text, encoding="utf-8")
            try:
                runs[kind_name(engine, "edit")].append(
                    measure([arg for arg in ours if arg != "-q"], cold_env, site))
            finally:
                edited.write_text(original_text, encoding="utf-8")
            shutil.rmtree(cache, ignore_errors=True)
        runs["check"].append(measure([sys.executable, "-m", "csi_macros.cli", "check", str(register)], env))
        runs["charts"].append(measure([sys.executable, "-c", CHARTS, str(register),
                                       str(work / f"charts-{size}-{attempt}")], env))
        print(f"  {size}: run {attempt + 1}/{repeat} done", file=sys.stderr)
    return runs


def median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(run, field) for run in runs)


def report(results: dict[int, dict[str, list[Run]]]) -> list[str]:
    lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
             "", "| improvements | build | time (s) | × baseline | peak RSS (MiB) | site (MiB) | × baseline |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for size, runs in results.items():
        base_time, base_size = median(runs["baseline"], "seconds"), median(runs["baseline"], "size_mib")
        kinds = ["baseline", *(kind for kind in runs if kind.split()[-1] in ("cold", "warm", "edit"))]
        for kind in kinds:
            time, size_mib = median(runs[kind], "seconds"), median(runs[kind], "size_mib")
            label = kind.replace("edit", "warm, one value edited")
            lines.append(f"| {size:,} | {label} | {time:.1f} | {time / base_time:.2f} | "
                         f"{median(runs[kind], 'rss_mib'):.0f} | {size_mib:.1f} | {size_mib / base_size:.2f} |")
        for kind, label in (("check", "`csi check` alone"), ("charts", "charts alone, cold")):
            lines.append(f"| {size:,} | {label} | {median(runs[kind], 'seconds'):.2f} | | "
                         f"{median(runs[kind], 'rss_mib'):.0f} | | |")
    lines.append("")
    for size, runs in results.items():
        for kind in (kind for kind in runs if kind.endswith("edit")):
            said = sorted({run.charts.split(", in ")[0] for run in runs[kind]})  # less the time
            engine = kind[:-len("edit")].strip() or "mkdocs"
            lines.append(f"Charts after one value edited at {size:,} ({engine}): {' / '.join(said)}")
    return lines


def targets(results: dict[int, dict[str, list[Run]]]) -> list[str]:
    verdicts = []

    def check(ok: bool, text: str) -> None:
        verdicts.append(f"{'PASS' if ok else 'FAIL'}  {text}")

    for size in (s for s in results if s >= 1000):
        runs = results[size]
        base = median(runs["baseline"], "seconds")
        check(median(runs["warm"], "seconds") <= 1.5 * base, f"warm ≤ 1.5× baseline at {size:,}")
        check(median(runs["cold"], "seconds") <= 3 * base, f"cold ≤ 3× baseline at {size:,}")
        check(median(runs["warm"], "size_mib") <= 1.5 * median(runs["baseline"], "size_mib"),
              f"site size ≤ 1.5× baseline at {size:,}")
        check(all(run.charts.startswith("1 of ") and "drawn (value-effort)," in run.charts
                  for run in runs["edit"]),
              f"one value edited redraws only the value/effort chart at {size:,}")
        if "zensical warm" in runs and "warm" in runs:
            check(median(runs["zensical warm"], "seconds") <= median(runs["warm"], "seconds"),
                  f"Zensical's warm build no slower than MkDocs' at {size:,}")
    if 1000 in results and 10000 in results:
        ratio = median(results[10000]["warm"], "seconds") / median(results[1000]["warm"], "seconds")
        check(ratio <= 12, f"time(10,000) / time(1,000) = {ratio:.1f} ≤ 12")
        # Every MkDocs build counts, not the cold one alone: which build peaks depends on
        # what it holds at once (a warm build once held every cached chart to its end).
        peak = max(median(results[10000][kind], "rss_mib") for kind in ("cold", "warm", "edit"))
        check(peak <= 1024, f"peak RSS at 10,000 = {peak:.0f} MiB ≤ 1 GiB (cold, warm, edit)")
        check(median(results[10000]["check"], "seconds") <= 5, "csi check at 10,000 ≤ 5 s")
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per build kind (median reported)")
    parser.add_argument("--engines", nargs="+", choices=("mkdocs", "zensical"), default=["mkdocs"],
                        help="which engines build our site (the targets are MkDocs')")
    args = parser.parse_args()
    engines = tuple(dict.fromkeys(["mkdocs", *args.engines]))  # MkDocs always: the reference
    with tempfile.TemporaryDirectory(prefix="csi-bench-") as folder:
        results = {size: bench_size(size, args.repeat, Path(folder), engines) for size in args.sizes}
    print("\n".join(report(results) + [""] + targets(results)))


if __name__ == "__main__":
    main()
