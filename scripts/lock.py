"""Write the constraints file: the installed version of every package that defence-ner[test] needs, directly or
through other packages, so that a fresh machine installs what the tests and metrics ran with."""

import re
from importlib import metadata
from pathlib import Path

import typer
from packaging.requirements import Requirement

HEADER = """\
# The versions the tests and the committed metrics ran with (Python 3.11, CPU). Install with
#   pip install -e ".[test]" -c constraints.txt
# so that a fresh machine gets what was tested without backtracking. Regenerate after a dependency change
# with: python scripts/lock.py constraints.txt
"""


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_closure(root: str, extras: tuple[str, ...]) -> dict[str, str]:
    """{package: installed version} for root and everything its requirements (with extras) pull in."""
    found: dict[str, str] = {}
    visited: set[tuple[str, tuple[str, ...]]] = set()  # a package again with other extras pulls in more
    pending = [(root, extras)]
    while pending:
        name, wanted = pending.pop()
        if (normalise(name), wanted) in visited:
            continue
        visited.add((normalise(name), wanted))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional requirement for another platform or Python
        found[normalise(name)] = dist.version
        for line in dist.requires or []:
            requirement = Requirement(line)
            contexts = [{"extra": extra} for extra in wanted] or [{"extra": ""}]
            if requirement.marker is None or any(requirement.marker.evaluate(c) for c in contexts):
                pending.append((requirement.name, tuple(requirement.extras)))
    del found[normalise(root)]
    return found


def main(output: Path = typer.Argument(Path("constraints.txt"))) -> None:
    versions = installed_closure("defence-ner", ("test",))
    # The local CPU wheel is 2.13.0+cpu; pinning the public version lets a GPU user's CUDA build of it satisfy this.
    versions["torch"] = versions["torch"].split("+")[0]
    lines = [f"{name}=={version}" for name, version in sorted(versions.items())]
    output.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    typer.echo(f"{len(lines)} pinned versions written to {output}")


if __name__ == "__main__":
    typer.run(main)
