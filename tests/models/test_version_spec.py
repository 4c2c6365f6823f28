"""VersionSpec and BuildNumberMatch: conda's version constraint language."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.errors import InvalidVersionSpec
from kernel.models import BuildNumberMatch, VersionOrder, VersionSpec

# conda's own table (tests/models/test_version.py): does the spec match "1.7.1"?
MATCHES_1_7_1 = [
    ("1.7.*", True), ("1.7.1", True), ("1.7.0", False), ("1.7", False), ("1.5.*", False),
    (">=1.5", True), ("!=1.5", True), ("!=1.7.1", False), ("==1.7.1", True), ("==1.7", False),
    ("==1.7.2", False), ("==1.7.1.0", True), ("1.7.*|1.8.*", True), (">1.7,<1.8", True),
    (">1.7.1,<1.8", False), ("^1.7.1$", True), (r"^1\.7\.1$", True), (r"^1\.7\.[0-9]+$", True),
    (r"^1\.8.*$", False), (r"^1\.[5-8]\.1$", True), (r"^[^1].*$", False),
    (r"^[0-9+]+\.[0-9+]+\.[0-9]+$", True), ("^$", False), ("^.*$", True), ("1.7.*|^0.*$", True),
    ("1.6.*|^0.*$", False), ("1.6.*|^0.*$|1.7.1", True), ("^0.*$|1.7.1", True),
    (r"1.6.*|^.*\.7\.1$|0.7.1", True), ("*", True), ("1.*.1", True), ("1.5.*|>1.7,<1.8", True),
    ("1.5.*|>1.7,<1.7.1", False),
]  # fmt: skip

# (version, spec, matches) from conda's ver_eval tests
EVALUATIONS = [
    ("1.7.0", "==1.7", True), ("1.7.0", "<=1.7", True), ("1.7.0", "<1.7", False),
    ("1.7.0", ">=1.7", True), ("1.7.0", ">1.7", False), ("1.6.7", ">=1.7", False),
    ("2013a", ">2013b", False), ("2013k", ">2013b", True), ("3.0.0", ">2013b", False),
    ("1.0.0", ">1.0.0a", True), ("1.0.0", ">1.0.0*", True), ("1.0", "1.0*", True),
    ("1.0.0", "1.0*", True), ("1.0", "1.0.0*", True), ("1.0.1", "1.0.0*", False),
    ("2013a", "2013a*", True), ("2013a", "2013b*", False), ("2013ab", "2013a*", True),
    ("1.3.4", "1.2.4*", False), ("1.2.3+4.5.6", "1.2.3*", True),
    ("1.2.3+4.5.6", "1.2.3+4*", True), ("1.2.3+4.5.6", "1.2.3+5*", False),
    ("1.2.4+4.5.6", "1.2.3+4*", False), ("3.3.1", "=3.3", True), ("3.3", "=3.3", True),
    ("3.4", "=3.3", False), ("3.3.1", "=3.3.*", True), ("3.3.1", "!=3.3.*", False),
    ("3.4.1", "!=3.3.*", True), ("3.3.1", "!=3.3", True), ("3.3.0.0", "!=3.3", False),
    ("1.11.0", "~=1.10", True), ("1.11.0", "~=1.10.0", False), ("3.4.0", "~=3.3.2", False),
    ("3.3.1", "~=3.3.2", False), ("3.3.2.0", "~=3.3.2", True), ("3.3.3", "~=3.3.2", True),
    ("2.2.0", "~=3.3.2|==2.2", True), ("2.2.1", "~=3.3.2|==2.2", False),
    ("1.0.1_", ">=1.0.1_", True), ("1.0.1_", ">=1.0.1", False),
]  # fmt: skip


@pytest.mark.parametrize(("spec", "expected"), MATCHES_1_7_1)
def test_condas_match_table(spec: str, expected: bool):
    assert VersionSpec(spec).match("1.7.1") is expected


@pytest.mark.parametrize(("spec", "_"), MATCHES_1_7_1)
def test_canonical_string_of_condas_table_is_the_input(spec: str, _: bool):
    assert str(VersionSpec(spec)) == spec
    assert repr(VersionSpec(spec)) == f"VersionSpec('{spec}')"


@pytest.mark.parametrize(("version", "spec", "expected"), EVALUATIONS)
def test_condas_evaluations(version: str, spec: str, expected: bool):
    assert VersionSpec(spec).match(version) is expected


def test_match_accepts_a_version_order():
    assert VersionSpec(">=1.7").match(VersionOrder("1.8"))
    assert not VersionSpec(">=1.7").match(VersionOrder("1.6"))


def test_match_of_none_is_false_unless_anything_goes():
    assert not VersionSpec(">=1").match(None)
    assert VersionSpec("*").match(None)


def test_compound_spec_with_whitespace():
    spec = VersionSpec(">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*")
    assert str(spec) == ">=2.7,!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.*"
    assert [spec.match(v) for v in ("2.6.8", "2.7.2", "3.3", "3.3.4", "3.4", "3.4a")] == [
        False, True, False, False, True, True]  # fmt: skip


def test_star_suffix_is_normalised():
    assert str(VersionSpec("1.7.1*")) == "1.7.1.*"
    assert VersionSpec("1.7.1*") == VersionSpec("1.7.1.*")
    assert hash(VersionSpec("1.7.1*,1.8.1*")) == hash(VersionSpec("1.7.1.*,1.8.1.*"))


def test_exactness():
    assert VersionSpec("1.7.1").is_exact()
    assert VersionSpec("==1.7.1").is_exact()
    assert not VersionSpec("1.7.1*").is_exact()
    assert not VersionSpec(">=1").is_exact()
    assert VersionSpec("==1.7").exact_value == "==1.7"
    assert VersionSpec("1.7*").exact_value is None


def test_and_binds_tighter_than_or():
    spec = VersionSpec("1.8,1.6|1.7")
    assert spec.match("1.7")
    assert spec.operator == "|"


def test_parentheses_group_and_are_kept_where_they_matter():
    spec = VersionSpec("1.8,(1.6|1.7)")
    assert not spec.match("1.7")
    # conda prints "1.8,1.6|1.7", which means something else; we keep the parentheses
    assert str(spec) == "1.8,(1.6|1.7)"
    assert VersionSpec(str(spec)) == spec


def test_nested_expression_canonical_form():
    spec = VersionSpec("( (1.5|((1.6|1.7), 1.8), 1.9 |2.0))|2.1")
    assert str(spec) == "1.5|(1.6|1.7),1.8,1.9|2.0|2.1"
    assert [spec.match(v) for v in ("1.6", "1.8", "2.0")] == [False, False, True]


def test_tree_children():
    spec = VersionSpec(">=1,<2|3")
    assert spec.operator == "|"
    assert [str(child) for child in spec.tup] == [">=1,<2", "3"]


@pytest.mark.parametrize(
    "bad",
    ["", " ", "(1.5", "1.5)", "1.5||1.6", "^1.5", "1.5$", "~", "^", "~=3.3.2.*", "===3.3.2",
     "><2.4.5", "!!2.4.5", "!", "= 1.0", ">=1.0 2", "1.0 2", "(1.0)(2.0)", "~=1", "^[$",
     "1.*[a"],
)  # fmt: skip
def test_invalid_specs_raise_invalid_version_spec(bad: str):
    with pytest.raises(InvalidVersionSpec):
        VersionSpec(bad)


def test_specs_are_cached_and_equal_by_string():
    assert VersionSpec(">=1.0") is VersionSpec(">=1.0")
    assert VersionSpec(">=1.0") == ">=1.0"
    assert VersionSpec(">=1.0") != "not a spec((("
    assert VersionSpec("1.0") != 1.0


def test_merge_joins_with_and():
    merged = VersionSpec(">=1").merge(VersionSpec("<2"))
    assert str(merged) == "<2,>=1"
    assert merged.match("1.5") and not merged.match("2.0")


def test_merge_keeps_an_or_together():
    merged = VersionSpec("1.7|1.8").merge(VersionSpec(">1.7.5"))
    assert str(merged) == "(1.7|1.8),>1.7.5"
    assert not merged.match("1.7") and merged.match("1.8")


def test_union_is_a_display_string():
    assert VersionSpec("1.7").union(VersionSpec("1.8")) == "1.7|1.8"


def test_version_spec_pickles():
    spec = VersionSpec(">=1.0,<2|3.*")
    assert pickle.loads(pickle.dumps(spec)) == spec


def test_exact_string_spec_with_at_sign():
    spec = VersionSpec("1.0@abc")
    assert spec.is_exact()
    assert spec.match("1.0@abc") and not spec.match("1.0")


# -- BuildNumberMatch --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("spec", "number", "expected"),
    [
        ("3", 3, True), ("3", 4, False), (3, 3, True), (" 3 ", 3, True), (">=3", 4, True),
        (">=3", 2, False), ("<8", 7, True), (">7", 7, False), ("!=2", 3, True), ("==2", 2, True),
        ("*", 9, True), ("^1.*$", 12, True), ("^1.*$", 21, False),
    ],
)  # fmt: skip
def test_build_number_match(spec: str | int, number: int, expected: bool):
    assert BuildNumberMatch(spec).match(number) is expected


def test_build_number_exact_value_and_str():
    assert BuildNumberMatch("3").exact_value == 3
    assert BuildNumberMatch("3").spec == 3
    assert str(BuildNumberMatch(">=3")) == ">=3"
    assert BuildNumberMatch(">=3").exact_value is None
    assert BuildNumberMatch("3") == BuildNumberMatch(3)


@pytest.mark.parametrize("bad", ["", ">", ">= 3", "^1", "=<3"])
def test_build_number_invalid(bad: str):
    with pytest.raises(InvalidVersionSpec):
        BuildNumberMatch(bad)


def test_build_number_merge_requires_equal_values():
    assert BuildNumberMatch("3").merge(BuildNumberMatch(3)) == 3
    with pytest.raises(ValueError):
        BuildNumberMatch("3").merge(BuildNumberMatch("4"))


# -- properties --------------------------------------------------------------------------------
_version = st.lists(
    st.one_of(st.integers(0, 12).map(str), st.sampled_from(["a", "rc1", "dev", "post2", "1b"])),
    min_size=1,
    max_size=4,
).map(".".join)
_leaf = st.one_of(
    _version,
    _version.map(lambda v: v + ".*"),
    _version.map(lambda v: v + "*"),
    st.builds(lambda op, v: op + v, st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "="]),
              _version),
    st.just("*"),
    _version.map(lambda v: "^" + v.replace(".", r"\.") + "$"),
)  # fmt: skip
_expressions = st.recursive(
    _leaf,
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=3).map(",".join),
        st.lists(children, min_size=2, max_size=3).map("|".join),
        children.map(lambda c: f"({c})"),
    ),
    max_leaves=6,
)


def _spec_or_none(text: str) -> VersionSpec | None:
    try:
        return VersionSpec(text)
    except InvalidVersionSpec:
        return None


@settings(max_examples=300, deadline=None)
@given(_expressions)
def test_str_then_parse_is_a_fixed_point(text: str):
    spec = _spec_or_none(text)
    if spec is None:
        return
    again = VersionSpec(str(spec))
    assert str(again) == str(spec)


@settings(max_examples=200, deadline=None)
@given(_expressions, st.lists(_version, min_size=1, max_size=5))
def test_str_then_parse_matches_the_same_versions(text: str, versions: list[str]):
    spec = _spec_or_none(text)
    if spec is None:
        return
    again = VersionSpec(str(spec))
    for version in versions:
        try:
            expected = spec.match(version)
        except InvalidVersionSpec:
            continue
        assert again.match(version) is expected, (text, str(spec), version)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.*=<>!~,|()^$ a+_-@")), max_size=14))
def test_any_text_parses_or_raises_invalid_version_spec(text: str):
    spec = _spec_or_none(text)
    if spec is not None:
        try:
            spec.match("1.0")
        except InvalidVersionSpec:
            pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=8))
def test_any_text_is_a_build_number_spec_or_invalid(text: str):
    try:
        BuildNumberMatch(text).match(3)
    except InvalidVersionSpec:
        pass
