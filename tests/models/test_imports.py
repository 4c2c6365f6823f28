"""Importing the vocabulary is free; each name loads its module when first used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            text=True, check=True)  # fmt: skip
    return set(result.stdout.split())


def test_importing_the_package_loads_no_model_module():
    loaded = _modules_after("import kernel.models")
    assert not {m for m in loaded if m.startswith("kernel.models.")}
    assert "attrs" not in loaded and "cattrs" not in loaded


def test_versions_load_without_records_channels_or_cattrs():
    loaded = _modules_after("from kernel.models import VersionSpec; VersionSpec('>=1').match('2')")
    assert "kernel.models.version_spec" in loaded
    assert not {"kernel.models.records", "kernel.models.channel", "cattrs"} & loaded


def test_cattrs_waits_for_prefix_records():
    loaded = _modules_after("from kernel.models import MatchSpec, PackageRecord; MatchSpec('a')")
    assert "cattrs" not in loaded


@pytest.mark.parametrize("name", ["Nope", "_private"])
def test_unknown_names_raise_attribute_error(name: str):
    import kernel.models

    with pytest.raises(AttributeError):
        getattr(kernel.models, name)
