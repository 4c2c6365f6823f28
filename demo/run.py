"""microconda's demo: build a tiny channel with our own commands, install from it, run it.

    python demo/run.py [--workdir DIR] [--keep]

Every step is a microconda command run in a subprocess (``python -m kernel …``), offline,
with its own package cache and root prefix under the work folder (nothing outside it is
written; ``~/.conda/environments.txt`` is left alone):

1. ``conda create -p <stage> -y`` makes an empty staging prefix per package; the package's
   files (``demo/sources/<pkg>/``) are copied in and ``conda package`` packs them, as
   untracked files of that prefix, into ``<channel>/noarch/``:
   * ``python`` (``noarch: generic``): a launcher for the interpreter running this demo;
   * ``hello-demo`` (``noarch: python``, depends on python): a module and the entry point
     ``hello-demo = hello_demo:main`` in its ``info/link.json``;
   * ``greet-tool`` (``noarch: generic``, depends on hello-demo): a shell script.
2. ``conda index <channel>`` writes ``repodata.json`` and ``repodata.json.zst``.
3. ``conda create -p <env> --override-channels -c file://<channel> greet-tool -y`` solves
   (greet-tool → hello-demo → python), fetches, extracts and links.
4. ``conda list -p <env>`` shows the result; then ``greet-tool`` runs inside the
   environment (``conda run`` when that command is installed, else ``<env>/bin/greet-tool``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SOURCES = HERE / "sources"
PACKAGES = (
    # name, version, noarch, depends, entry points
    ("python", f"{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}",
     "generic", [], []),
    ("hello-demo", "1.0", "python", ["python >=3.8"], ["hello-demo = hello_demo:main"]),
    ("greet-tool", "1.0", "generic", ["hello-demo >=1.0"], []),
)


def conda(*args: str, env: dict[str, str], capture: bool = False) -> str:
    command = [sys.executable, "-m", "kernel", *args]
    print(f"\n$ conda {' '.join(args)}", flush=True)
    result = subprocess.run(command, env=env, cwd=REPO, text=True,
                            stdout=subprocess.PIPE if capture else None)
    if result.returncode != 0:
        raise SystemExit(f"demo failed: 'conda {' '.join(args)}' exited {result.returncode}")
    if capture:
        print(result.stdout, end="")
    return result.stdout or ""


def stage_sources(name: str, stage: Path) -> None:
    """Copy ``demo/sources/<name>`` into the staging prefix (the shim gets its paths)."""
    source = SOURCES / ("python-shim" if name == "python" else name)
    for path in sorted(source.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(source)
        if path.suffix == ".in":
            rel = rel.with_suffix("")
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".in":
            text = path.read_text().replace("@PYTHON@", sys.executable).replace(
                "@MAJOR_MINOR@", f"{sys.version_info[0]}.{sys.version_info[1]}")
            target.write_text(text)
            target.chmod(0o755)
        else:
            shutil.copy2(path, target)


def build_channel(work: Path, channel: Path, env: dict[str, str]) -> None:
    (channel / "noarch").mkdir(parents=True, exist_ok=True)
    for name, version, noarch, depends, entry_points in PACKAGES:
        stage = work / f"stage-{name}"
        conda("create", "-p", str(stage), "-y", "--offline", "-q", env=env)
        stage_sources(name, stage)
        args = ["package", "-p", str(stage), "--pkg-name", name, "--pkg-version", version,
                "--pkg-build", "0", "--noarch", noarch, "--output-dir", str(channel / "noarch")]
        for dep in depends:
            args += ["--depends", dep]
        for entry_point in entry_points:
            args += ["--entry-point", entry_point]
        conda(*args, env=env)
    conda("index", str(channel), env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", help="Work folder (default: a new temporary folder).")
    parser.add_argument("--keep", action="store_true", help="Keep the work folder.")
    args = parser.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="microconda-demo-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONDA", "MAMBA"))}
    env.update(CONDA_PKGS_DIRS=str(work / "pkgs"), CONDA_ROOT=str(work / "root"),
               CONDA_REGISTER_ENVS="false", CONDA_ADD_PIP_AS_PYTHON_DEPENDENCY="false",
               CONDA_CHANNELS=(work / "channel").as_uri(),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])))
    channel = work / "channel"
    prefix = work / "env"
    try:
        build_channel(work, channel, env)
        conda("create", "-p", str(prefix), "--override-channels", "-c", channel.as_uri(),
              "greet-tool", "-y", env=env)
        conda("list", "-p", str(prefix), env=env)
        has_run = (REPO / "plugins" / "subcommands" / "run.py").is_file()
        if has_run:
            output = conda("run", "-p", str(prefix), "greet-tool", "microconda", env=env,
                           capture=True)
        else:
            tool = prefix / "bin" / "greet-tool"
            print(f"\n$ {tool} microconda", flush=True)
            output = subprocess.run([str(tool), "microconda"], env=env, text=True, check=True,
                                    stdout=subprocess.PIPE).stdout
            print(output, end="")
        if "Hello, microconda!" not in output:
            raise SystemExit("demo failed: greet-tool did not greet")
        print("\ndemo: OK")
        return 0
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
        elif args.keep:
            print(f"(work folder kept: {work})")


if __name__ == "__main__":
    sys.exit(main())
