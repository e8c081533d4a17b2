"""How fast the register is read and validated, per thousand files.

    python benchmarks/bench_load.py                  # 5,000 improvements, C and pure-Python YAML
    python benchmarks/bench_load.py --size 1000 --repeat 5
    python benchmarks/bench_load.py --profile        # where the time goes (cProfile, C parser)

It writes a synthetic register (N improvements, N/25 metrics, 36 monthly snapshots) in
a temporary folder, then times `load_register` (read, parse, validate, derive facts)
with PyYAML's C parser (what the build uses when libyaml is there) and with its
pure-Python parser, for comparison. The target: well under a second per thousand
files with the C parser.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import platform
import pstats
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from synthetic import write_synthetic  # noqa: E402

from csi_macros import load_register
from csi_macros.register import source  # noqa: E402

TODAY = dt.date(2026, 11, 25)  # the synthetic registers' "today"
PARSERS = {"C (libyaml)": getattr(yaml, "CSafeLoader", None), "pure Python": yaml.SafeLoader}


def time_load(root: Path, parser: type, repeat: int) -> float:
    """The best of `repeat` runs, in seconds (the best is the least disturbed by the machine)."""
    source._Parser = parser
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        load_register(root, today=TODAY)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--size", type=int, default=5000, help="improvements (default 5000)")
    options.add_argument("--repeat", type=int, default=3, help="runs per parser; the best counts")
    options.add_argument("--profile", action="store_true", help="print a cProfile of one C run")
    args = options.parse_args()
    default_parser = source._Parser
    with tempfile.TemporaryDirectory(prefix="csi-bench-") as folder:
        root = write_synthetic(Path(folder) / "register", args.size, today=TODAY)
        files = sum(1 for path in root.rglob("*.yml"))
        megabytes = sum(path.stat().st_size for path in root.rglob("*.yml")) / 2**20
        print(f"{args.size:,} improvements: {files:,} files, {megabytes:.1f} MiB "
              f"(Python {platform.python_version()}, PyYAML {yaml.__version__}, "
              f"{platform.machine()})")
        for name, parser in PARSERS.items():
            if parser is None:
                print(f"{name:12}  not available")
                continue
            seconds = time_load(root, parser, 1 if parser is yaml.SafeLoader else args.repeat)
            print(f"{name:12}  {seconds:6.2f} s in all, {seconds / files * 1000:5.3f} s per 1,000 files")
        if args.profile and PARSERS["C (libyaml)"]:
            source._Parser = PARSERS["C (libyaml)"]
            profile = cProfile.Profile()
            profile.runcall(load_register, root, today=TODAY)
            pstats.Stats(profile).sort_stats("tottime").print_stats(15)
    source._Parser = default_parser
    return 0


if __name__ == "__main__":
    sys.exit(main())
