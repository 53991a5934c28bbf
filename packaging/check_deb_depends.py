"""Check that every system library a bundle links (ldd) belongs to a Debian package reached
from the .deb's Depends (following the installed packages' own Depends). Linux/dpkg only."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_libraries(bundle: Path) -> tuple[set[str], list[str]]:
    """Libraries resolved outside the bundle, and 'file: lib not found' lines."""
    lib_dirs = sorted({str(p.parent) for p in bundle.rglob("*.so*")})
    env = dict(os.environ, LD_LIBRARY_PATH=":".join(lib_dirs))
    outside, missing = set(), []
    for elf in elf_files(bundle):
        result = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env)
        for line in result.stdout.splitlines():
            if "not found" in line:
                missing.append(f"{elf.relative_to(bundle)}: {line.strip()}")
            match = re.search(r"=> (/\S+)", line)
            if match and not match.group(1).startswith(str(bundle)):
                outside.add(os.path.realpath(match.group(1)))
    return outside, missing


def owning_package(path: str) -> str | None:
    for candidate in (path, path.replace("/usr/lib/", "/lib/", 1)):
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    return None


def depends_closure(roots: list[str]) -> set[str]:
    seen: set[str] = set()
    queue = list(roots)
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}, ${Provides}", name],
            capture_output=True,
            text=True,
        )
        for item in re.split(r"[,|]", result.stdout):
            item = re.sub(r"\(.*?\)|:any|:\w+", "", item).strip()
            if item:
                queue.append(item)
    return seen


def main() -> int:
    bundle, depends = Path(sys.argv[1]).resolve(), sys.argv[2]
    roots = [re.sub(r"\(.*?\)", "", d).strip() for d in depends.split(",")]
    outside, missing = system_libraries(bundle)
    closure = depends_closure(roots)
    uncovered = {}
    for path in sorted(outside):
        package = owning_package(path)
        if package is None or package not in closure:
            uncovered[path] = package or "no package"
    for line in missing:
        print(f"check_deb_depends: {line}", file=sys.stderr)
    for path, package in uncovered.items():
        print(f"check_deb_depends: {path} ({package}) is not in Depends", file=sys.stderr)
    if missing or uncovered:
        return 1
    print(f"check_deb_depends: {len(outside)} system libraries, all covered by Depends")
    return 0


if __name__ == "__main__":
    sys.exit(main())
