"""The objective of each optimisation pass, as ``{literal: coefficient}``.

Version metrics follow conda's ``generate_version_metrics``: walk a name's candidates best
first; a change of channel (or validity) bumps the channel counter and resets the others, a
change of version bumps the version counter and resets build, noarch and timestamp, and
so on down the key. A candidate's coefficient in each metric is that counter.
"""

from __future__ import annotations

from collections.abc import Iterable

from plugins.solvers.sat.encode import Encoding

Objective = dict[int, int]


def version_metrics(enc: Encoding, names: Iterable[str]) -> tuple[Objective, ...]:
    """Channel, version, build number, noarch and timestamp objectives for ``names``."""
    eqc: Objective = {}
    eqv: Objective = {}
    eqb: Objective = {}
    eqa: Objective = {}
    eqt: Objective = {}
    version_key = enc.pool.version_key
    for name in dict.fromkeys(names):
        prev = None
        ic = iv = ib = ia = it = 0
        for i in enc.groups.get(name, ()):
            key = version_key(i)
            if prev is not None:
                if prev[0] != key[0] or prev[1] != key[1]:
                    ic += 1
                    iv = ib = ia = it = 0
                elif prev[2] != key[2]:
                    iv += 1
                    ib = ia = it = 0
                elif prev[3] != key[3]:
                    ib += 1
                    ia = it = 0
                elif prev[4] != key[4]:
                    ia += 1
                    it = 0
                elif prev[5] != key[5]:
                    it += 1
            v = enc.var[i]
            if ic:
                eqc[v] = ic
            if iv:
                eqv[v] = iv
            if ib:
                eqb[v] = ib
            if ia:
                eqa[v] = ia
            if it:
                eqt[v] = it
            prev = key
    return eqc, eqv, eqb, eqa, eqt


def feature_count(enc: Encoding) -> Objective:
    """One per tracked feature that ends up active."""
    return {enc.feature_lit(feat): 1 for feat in enc.trackers}


def feature_metric(enc: Encoding) -> Objective:
    """One per installed record lacking a feature that is active and that another
    candidate of its name has."""
    eq: Objective = {}
    records = enc.pool.records
    for members in enc.groups.values():
        if not any(records[i].features for i in members):
            continue  # the usual case: no candidate has a feature
        feats = {i: set(records[i].features or ()) for i in members}
        active = set().union(*feats.values()).intersection(enc.trackers)
        for feat in sorted(active):
            tracked = enc.feature_lit(feat)
            for i, has in feats.items():
                if feat not in has:
                    eq[enc.both(enc.var[i], tracked)] = 1
    return eq


def name_count(enc: Encoding, names: Iterable[str], present: bool = True) -> Objective:
    """One per name of ``names`` that is installed (``present``) or absent."""
    sign = 1 if present else -1
    return {sign * enc.name_var[n]: 1 for n in dict.fromkeys(names) if n in enc.name_var}


def update_count(enc: Encoding, targets: Iterable[int]) -> Objective:
    """One per target (installed record) that is not kept."""
    return {-enc.var[i]: 1 for i in targets if i in enc.var}
