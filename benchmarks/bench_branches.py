"""How fast ids are read across branches: `csi new`'s choice, `csi check --against`, `csi renumber`.

    python benchmarks/bench_branches.py                        # 1,000 improvements, 50 branches
    python benchmarks/bench_branches.py --size 5000 --branches 200 --repeat 5

It writes a git repository in a temporary folder: `main` holds a synthetic register
(`synthetic.py`), and each of the branches adds one improvement with the next id, half of
them local branches, half remote-tracking (`origin/...`), as a clone that fetched
its colleagues' work has them. Then it times, best of `--repeat` runs:

- the id `csi new` takes (`choose_id`: the working tree and every branch, read from git's
  objects): the target is well under a second at 1,000 improvements and 50 branches;
- `against_problems`, the part `--against origin/main` adds to `csi check`, on a branch
  that took an id main took too (it finds the clash);
- the whole `csi new`, `csi check --against` and `csi renumber --dry-run` commands, in a
  fresh process each, as a person runs them (these include loading and validating the
  whole register, which `bench_load.py` measures on its own).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from synthetic import write_synthetic  # noqa: E402

GIT = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
       "GIT_AUTHOR_NAME": "Sam Editor", "GIT_AUTHOR_EMAIL": "sam@example.org",
       "GIT_COMMITTER_NAME": "Sam Editor", "GIT_COMMITTER_EMAIL": "sam@example.org",
       "GIT_AUTHOR_DATE": "2026-11-20T12:00:00Z", "GIT_COMMITTER_DATE": "2026-11-20T12:00:00Z",
       "SOURCE_DATE_EPOCH": "1795564800"}


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True,
                          env={**os.environ, **GIT}, check=True)
    return done.stdout.decode()


def write_repository(repo: Path, *, improvements: int = 1000, branches: int = 50) -> Path:
    """A repository whose `main` holds a register of `improvements`, and `branches` more
    branches each adding the next improvement id: `branch-K` (even K) and
    `origin/branch-K` (odd K). The work tree is `main`'s."""
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    register = write_synthetic(repo / "register", improvements)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "The register")
    template = (register / "improvements" / "CSI-00001.yml").read_text(encoding="utf-8")
    # One fast-import stream makes every branch's commit: a new file each, on top of main.
    stream = []
    for number in range(branches):
        improvement_id = f"CSI-{improvements + 1 + number:05d}"
        ref = f"refs/heads/branch-{number}" if number % 2 == 0 else \
            f"refs/remotes/origin/branch-{number}"
        data = template.replace("CSI-00001", improvement_id).encode("utf-8")
        message = f"Raise {improvement_id}".encode()
        stream += [f"commit {ref}\n".encode(),
                   b"committer Sam Editor <sam@example.org> 1795000000 +0000\n",
                   f"data {len(message)}\n".encode(), message, b"\n",
                   b"from refs/heads/main\n",
                   f"M 100644 inline register/improvements/{improvement_id}-branch-{number}.yml\n"
                   .encode(), f"data {len(data)}\n".encode(), data, b"\n\n"]
    _git(repo, "fast-import", "--quiet", stdin=b"".join(stream))
    return repo


def best(action: Callable[[], object], repeat: int) -> float:
    """The best of `repeat` runs, in seconds (the least disturbed by the machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def command(repo: Path, *args: str) -> Callable[[], object]:
    csi = Path(sys.executable).with_name("csi")

    def run() -> None:
        subprocess.run([str(csi), *args], cwd=repo, env={**os.environ, **GIT},
                       capture_output=True)
    return run


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--size", type=int, default=1000, help="improvements (default 1000)")
    options.add_argument("--branches", type=int, default=50, help="branches (default 50)")
    options.add_argument("--repeat", type=int, default=5, help="runs each; the best counts")
    args = options.parse_args()
    os.environ.update(GIT)
    from csi_macros.edit import choose_id
    from csi_macros.register.merging import against_problems

    with tempfile.TemporaryDirectory(prefix="csi-bench-branches-") as folder:
        start = time.perf_counter()
        repo = write_repository(Path(folder) / "repo", improvements=args.size,
                                branches=args.branches)
        made = time.perf_counter() - start
        register = repo / "register"
        chosen = choose_id(register)
        # A branch that took, by hand, the id main then took too.
        _git(repo, "switch", "-q", "-c", "clash")
        clash = register / "improvements" / f"CSI-{args.size + 1:05d}-clash.yml"
        clash.write_text((register / "improvements" / "CSI-00001.yml").read_text()
                         .replace("CSI-00001", clash.name[:9]), encoding="utf-8")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "clash")
        _git(repo, "update-ref", "refs/remotes/origin/main",
             _git(repo, "rev-parse", "branch-0").strip())
        found = against_problems(register, "origin/main")
        print(f"python {platform.python_version()}, {platform.machine()}, "
              f"{os.cpu_count()} cores; git {_git(repo, 'version').split()[-1]}")
        print(f"repository: {args.size} improvements on main, {args.branches} branches "
              f"(made in {made:.1f} s); csi new takes {chosen.id}; --against finds "
              f"{len(found)} clash")
        rows = [
            ("choose_id (csi new's id, every branch)", best(lambda: choose_id(register),
                                                            args.repeat)),
            ("against_problems (--against origin/main)",
             best(lambda: against_problems(register, "origin/main"), args.repeat)),
            ("csi check register --against origin/main",
             best(command(repo, "check", "register", "--against", "origin/main"), args.repeat)),
            ("csi check register (the same, without --against)",
             best(command(repo, "check", "register"), args.repeat)),
            (f"csi renumber {clash.name[:9]} --dry-run",
             best(command(repo, "renumber", clash.name[:9], "--dry-run"), args.repeat)),
        ]
        _git(repo, "switch", "-q", "main")

        def new() -> None:
            command(repo, "new", "Benchmark")()
            for path in (register / "improvements").glob("*-benchmark.yml"):
                path.unlink()
        rows.append(("csi new \"Benchmark\" (written, then removed)", best(new, args.repeat)))
        for name, seconds in rows:
            print(f"{name:<52} {seconds * 1000:8.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
