#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: does microconda's __cuda detection agree with nvidia-smi?
# Needs only python3 (cuda_detect.py is standard library only); no install. Exit 0 = agree.
cd "$(dirname "$0")/.." || exit 2
PY=$(command -v python3 || command -v python) || { echo "no python3"; exit 2; }
echo "== nvidia-smi"; nvidia-smi || echo "(nvidia-smi failed)"
smi=$(nvidia-smi 2>/dev/null | sed -n 's/.*CUDA Version: *\([0-9][0-9.]*\).*/\1/p' | head -n1)
found=$(PYTHONPATH=. "$PY" - <<'PYEOF'
import time
from plugins.virtual_packages import cuda_detect as d
print("== microconda detection; candidates:", d.library_candidates())
got = {}
for label, safe in (("fork", d._fork_is_safe), ("subprocess", lambda: False)):
    d._fork_is_safe = safe
    t = time.monotonic(); got[label] = d.detect_cuda_version(timeout=60)
    print(f"{label}: {got[label]} in {time.monotonic() - t:.2f} s")
import os; os.environ["CUDA_VISIBLE_DEVICES"] = ""
got["hidden"] = d.detect_cuda_version(timeout=60)
print("with CUDA_VISIBLE_DEVICES='':", got["hidden"])
print("RESULT", got["fork"] if got["fork"] == got["subprocess"] else f"disagree:{got}")
PYEOF
)
echo "$found"  # everything but the RESULT line is for the person reading
if PYTHONPATH=. "$PY" -c "import attrs, pluggy" 2>/dev/null; then
  PYTHONPATH=. "$PY" -c "import importlib as i; from kernel.manager import PluginManager as P; from kernel.virtual_packages import virtual_package_triples as t; m=P(); [m.register(i.import_module('plugins.virtual_packages.'+n)) for n in 'archspec conda cuda glibc linux unix'.split()]; print('front end:', t(m))"
fi
got=$(echo "$found" | sed -n 's/^RESULT //p')
echo "== nvidia-smi CUDA Version: ${smi:-none}   detected: $got"
[ -n "$smi" ] && [ "$smi" = "$got" ] && echo MATCH && exit 0; echo MISMATCH; exit 1
