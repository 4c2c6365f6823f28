"""VersionOrder: conda's parse and total order of version strings."""

from __future__ import annotations

import copy
import pickle
import random
from itertools import pairwise, zip_longest
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kernel.errors import InvalidVersionSpec
from kernel.models import VersionOrder, normalized_version
from tests.models.conftest import require_data

# conda's documented order (conda.models.version.VersionOrder docstring); a group holds equal
# versions. The docstring writes "0.4 < 0.4.0", but conda's own comparison pads with zeros and
# finds them equal, which is what conda does and what we do.
DOCUMENTED_ORDER = [
    ["0.4", "0.4.0"],
    ["0.4.1.rc", "0.4.1.RC"],
    ["0.4.1"],
    ["0.5a1"],
    ["0.5b3"],
    ["0.5C1"],
    ["0.5"],
    ["0.9.6"],
    ["0.960923"],
    ["1.0"],
    ["1.1dev1"],
    ["1.1_"],
    ["1.1a1"],
    ["1.1.0dev1", "1.1.dev1"],
    ["1.1.a1"],
    ["1.1.0rc1"],
    ["1.1.0", "1.1"],
    ["1.1.0post1", "1.1.post1"],
    ["1.1post1"],
    ["1996.07.12"],
    ["1!0.4.1"],
    ["1!3.1.1.6"],
    ["2!0.4.1"],
]

PARSES = [
    ("0.4", [[0], [0], [4]]),
    ("0.4.1a.vc11", [[0], [0], [4], [1, "a"], [0, "vc", 11]]),
    ("0.5*", [[0], [0], [5, "*"]]),
    ("0.5-5", [[0], [0], [5], [5]]),
    ("1.1dev1", [[0], [1], [1, "DEV", 1]]),
    ("1.1_", [[0], [1], [1, "_"]]),
    ("1.1.post1", [[0], [1], [1], [0, float("inf"), 1]]),
    ("2.0b1pr0", [[0], [2], [0, "b", 1, "pr", 0]]),
    ("1.2g.beta15.rc", [[0], [1], [2, "g"], [0, "beta", 15], [0, "rc"]]),
    # conda's docstring says [1, '_alpha'] for the last segment; its code splits at "_"
    ("1!2.15.1_ALPHA", [[1], [2], [15], [1], [0, "alpha"]]),
    ("14.3.1.post26.g9d75ca2", [[0], [14], [3], [1], [0, float("inf"), 26],
                                [0, "g", 9, "d", 75, "ca", 2]]),
]  # fmt: skip


def conda_less(a: VersionOrder, b: VersionOrder) -> bool:
    """Conda's comparison, written over the parsed lists, as an independent oracle."""
    for mine, theirs in ((a.version, b.version), (a.local, b.local)):
        for seg1, seg2 in zip_longest(mine, theirs, fillvalue=[]):
            for c1, c2 in zip_longest(seg1, seg2, fillvalue=0):
                if c1 == c2:
                    continue
                if isinstance(c1, str) != isinstance(c2, str):
                    return isinstance(c1, str)
                return bool(c1 < c2)
    return False


def test_documented_order_is_respected():
    flat = [VersionOrder(v) for group in DOCUMENTED_ORDER for v in group]
    shuffled = flat[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled) == flat


def test_documented_equal_versions_are_equal_and_hash_alike():
    for group in DOCUMENTED_ORDER:
        first = VersionOrder(group[0])
        for other in group[1:]:
            assert VersionOrder(other) == first
            assert hash(VersionOrder(other)) == hash(first)


def test_each_documented_group_is_below_the_next():
    for lower, higher in pairwise(DOCUMENTED_ORDER):
        assert VersionOrder(lower[0]) < VersionOrder(higher[0])
        assert not VersionOrder(higher[0]) <= VersionOrder(lower[0])


@pytest.mark.parametrize(("text", "parsed"), PARSES)
def test_parse_matches_conda(text: str, parsed: list[list[Any]]):
    assert VersionOrder(text).version == parsed


def test_local_version_is_parsed_separately():
    assert VersionOrder("1.2+abc.3").local == [[0, "abc"], [3]]
    assert VersionOrder("1.2").local == []


def test_trailing_zeros_do_not_matter():
    assert VersionOrder("1.1") == VersionOrder("1.1.0") == VersionOrder("1.1.0.0")
    assert VersionOrder("0.4.a1") == VersionOrder("0.4.0a1")
    assert VersionOrder("1a") == VersionOrder("1a0")


def test_comparison_is_case_insensitive_and_ignores_surrounding_space():
    assert VersionOrder("  0.4.1.RC  ") == VersionOrder("0.4.1.rc")
    assert normalized_version("  0.4.1.RC  ") == VersionOrder("0.4.1.rc")


def test_dev_sorts_below_letters_and_post_above_numbers():
    ordered = [VersionOrder(v) for v in ("1.0dev", "1.0_", "1.0a", "1.0")]
    assert sorted(reversed(ordered)) == ordered
    assert VersionOrder("1.0") < VersionOrder("1.0.1") < VersionOrder("1.0post")


def test_openssl_convention_with_trailing_underscore():
    ordered = ["1.0.1dev", "1.0.1_", "1.0.1a", "1.0.1rc1", "1.0.1s", "1.0.1", "1.0.1post.a",
               "1.0.1post.za", "1.0.2"]  # fmt: skip
    versions = [VersionOrder(v) for v in ordered]
    assert sorted(reversed(versions)) == versions


def test_pep440_examples_sort_as_listed():
    listed = ["1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
              "1.0b2.post345.dev456", "1.0b2.post345", "1.0c1.dev456", "1.0c1", "1.0c3",
              "1.0rc2", "1.0.dev456", "1.0", "1.0.post456.dev34", "1.0.post456", "1.1.dev1",
              "1.2.r32+123456", "1.2.rev33+123456", "1.2+abc", "1.2+abc123def", "1.2+abc123",
              "1.2+123abc", "1.2+123abc456", "1.2+1234.abc", "1.2+123456", "1!1.0a1"]  # fmt: skip
    versions = [VersionOrder(v) for v in listed]
    assert sorted(versions) == versions


def test_dash_becomes_underscore_only_without_underscores():
    assert VersionOrder("1.0-1") == VersionOrder("1.0_1") == VersionOrder("1.0.1")
    assert VersionOrder("1.0-1").norm_version == "1.0_1"
    with pytest.raises(InvalidVersionSpec):
        VersionOrder("1.0-1_2")


@pytest.mark.parametrize(
    "bad", ["", "  ", "3.5&1", "5.5++", "5.5..mw", "!", "a!1.0", "a!b!1.0", "1+2+3", "+1",
            "1.0.", "1.0+", "1!", "1.0 2", "1.0\n2", "ü"],
)  # fmt: skip
def test_invalid_versions_raise_naming_the_string(bad: str):
    with pytest.raises(InvalidVersionSpec) as info:
        VersionOrder(bad)
    assert info.value.invalid_spec == bad


def test_non_string_is_rejected():
    with pytest.raises(InvalidVersionSpec):
        VersionOrder(1.0)  # type: ignore[arg-type]


def test_str_is_the_original_and_norm_version_is_condas_form():
    version = VersionOrder("1.0-RC1")
    assert str(version) == "1.0-RC1"
    assert version.norm_version == "1.0_rc1"
    assert repr(version) == 'VersionOrder("1.0-RC1")'


def test_parses_are_cached_per_string():
    assert VersionOrder("2.3.4") is VersionOrder("2.3.4")
    assert VersionOrder(VersionOrder("2.3.4")) is VersionOrder("2.3.4")


def test_copy_and_pickle_keep_the_version():
    version = VersionOrder("1.2.3rc1+local")
    assert copy.copy(version) is version
    assert copy.deepcopy(version) is version
    assert pickle.loads(pickle.dumps(version)) == version
    assert str(pickle.loads(pickle.dumps(version))) == "1.2.3rc1+local"


def test_comparing_with_other_types_is_not_supported():
    assert VersionOrder("1.0") != "1.0"
    with pytest.raises(TypeError):
        assert VersionOrder("1.0") < "1.1"  # type: ignore[operator]


@pytest.mark.parametrize(
    ("version", "prefix", "expected"),
    [
        ("0.4.1", "0", True),
        ("0.4.1", "0.4", True),
        ("0.4.1p1", "0.4", True),
        ("0.4.1p1", "0.4.1p", True),
        ("0.4.1p1", "0.4.1q1", False),
        ("0.4", "0.4.1", False),
        ("0.4.1+1.3", "0.4.1", True),
        ("0.4.1+1.3", "0.4.1+1", True),
        ("0.4.1", "0.4.1+1.3", False),
        ("0.4.1+1", "0.4.1+1.3", False),
        ("1.7", "1.7.0", True),
        ("1.7.0.1", "1.7.0", True),
        ("1.8", "1.7", False),
        ("2013ab", "2013a", True),
        ("1!1.7", "1.7", False),
    ],
)
def test_startswith(version: str, prefix: str, expected: bool):
    assert VersionOrder(version).startswith(VersionOrder(prefix)) is expected


# -- the real corpus -------------------------------------------------------------------------
def test_every_real_version_parses_as_conda_does():
    lines = require_data("rattler/test-data/parsed_versions.txt").read_text().splitlines()
    checked = 0
    for line in lines:
        if not line or line.startswith("#"):
            continue
        text, _, parsed = line.partition("=[")
        assert str(VersionOrder(text).version) == "[" + parsed, text
        checked += 1
    assert checked == 28_530


def test_real_versions_sort_as_condas_comparison_says(real_versions: list[str]):
    ordered = sorted(VersionOrder(v) for v in real_versions)
    for lower, higher in pairwise(ordered):
        assert not conda_less(higher, lower), (str(lower), str(higher))


def test_real_versions_order_agrees_with_condas_on_random_pairs(real_versions: list[str]):
    rng = random.Random(1)
    for _ in range(20_000):
        a, b = (VersionOrder(v) for v in rng.sample(real_versions, 2))
        assert (a < b) is conda_less(a, b)
        assert (a == b) is (not conda_less(a, b) and not conda_less(b, a))
        if a == b:
            assert hash(a) == hash(b)


def test_real_versions_equal_iff_same_hash_class(real_versions: list[str]):
    classes: dict[VersionOrder, set[str]] = {}
    for text in real_versions:
        classes.setdefault(VersionOrder(text), set()).add(text)
    for members in classes.values():
        first, *rest = (VersionOrder(m) for m in members)
        assert all(first == other for other in rest)


# -- properties --------------------------------------------------------------------------------
_component = st.one_of(
    st.integers(0, 30).map(str),
    st.sampled_from(["a", "b", "rc", "dev", "post", "alpha", "_", "*", "x1", "0a", "1b2"]),
)
_public = st.lists(_component, min_size=1, max_size=5).map(".".join)
versions = st.builds(
    lambda epoch, public, local: epoch + public + local,
    st.sampled_from(["", "", "1!", "2!"]),
    _public,
    st.one_of(st.just(""), _public.map(lambda text: "+" + text)),
)


def parsed(text: str) -> VersionOrder:
    """The version, or the example is dropped when conda would reject it (e.g. ``_.0``)."""
    try:
        return VersionOrder(text)
    except InvalidVersionSpec:
        assume(False)
        raise


@settings(max_examples=300, deadline=None)
@given(versions, versions)
def test_order_agrees_with_condas_comparison(a: str, b: str):
    va, vb = parsed(a), parsed(b)
    assert (va < vb) is conda_less(va, vb)
    assert (va == vb) is (not conda_less(va, vb) and not conda_less(vb, va))


@settings(max_examples=300, deadline=None)
@given(versions, versions, versions)
def test_order_is_total_and_transitive(a: str, b: str, c: str):
    va, vb, vc = parsed(a), parsed(b), parsed(c)
    assert sum((va < vb, va == vb, va > vb)) == 1
    if va <= vb and vb <= vc:
        assert va <= vc
    if va == vb:
        assert hash(va) == hash(vb)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=12))
def test_any_text_parses_or_raises_invalid_version(text: str):
    try:
        version = VersionOrder(text)
    except InvalidVersionSpec:
        return
    assert version == VersionOrder(version.norm_version)
