"""Property tests (hypothesis) of the parsers and loaders: every input is accepted or
refused with the documented error, never another exception."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.fuzzing import SEEDS, SPECIALS, TARGETS, expected_errors, mutate

pytestmark = pytest.mark.security

FAST = settings(max_examples=700, deadline=None, suppress_health_check=list(HealthCheck),
                database=None)
PIECES = st.lists(st.one_of(st.sampled_from(SPECIALS), st.text(max_size=4)), max_size=25)


def _check(target: str, value: Any) -> None:
    parse, _ = TARGETS[target]
    try:
        parse(value)
    except expected_errors()[target]:
        pass


def _text(seeds: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(PIECES.map("".join), st.tuples(st.sampled_from(seeds), st.integers(
        0, 2**32)).map(lambda t: mutate(random.Random(t[1]), t[0])))


@FAST
@given(_text(SEEDS["version"]))
def test_version_parser(text: str) -> None:
    _check("version", text)


@FAST
@given(_text(SEEDS["version_spec"]))
def test_version_spec_parser(text: str) -> None:
    _check("version_spec", text)


@FAST
@given(_text(SEEDS["match_spec"]))
def test_match_spec_parser(text: str) -> None:
    _check("match_spec", text)


@FAST
@given(st.integers(0, 2**32))
def test_record_loader(seed: int) -> None:
    data = TARGETS["record"][1](random.Random(seed))
    _check("record", data)


def test_record_with_a_list_channel_round_trips() -> None:
    _check("record", {"name": "pkg", "version": "1.0", "build": "0", "channel": [],
                      "url": "-"})


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck),
          database=None)
@given(st.integers(0, 2**32))
def test_condarc_loader(seed: int) -> None:
    _check("condarc", TARGETS["condarc"][1](random.Random(seed)))
