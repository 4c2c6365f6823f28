"""``python -m kernel`` runs the ``conda`` command."""

from kernel.cli import run

run()
