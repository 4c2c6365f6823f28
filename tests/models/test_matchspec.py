"""MatchSpec: parsing, canonical strings, matching and merging, as conda does them."""

from __future__ import annotations

import pickle
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.errors import IncompatibleMatchSpecs, InvalidMatchSpec
from kernel.models import Channel, MatchSpec, PackageRecord, VersionSpec
from kernel.models.matchspec_format import FIELD_NAMES

# conda's canonical forms (tests/models/test_match_spec.py::test_canonical_string_forms)
CANONICAL = [
    ("numpy", "numpy"),
    ("numpy=1.7", "numpy=1.7"),
    ("numpy 1.7*", "numpy=1.7"),
    ("numpy 1.7.*", "numpy=1.7"),
    ("numpy[version='1.7*']", "numpy=1.7"),
    ("numpy[version='1.7.*']", "numpy=1.7"),
    ("numpy[version=1.7.*]", "numpy=1.7"),
    ("numpy==1.7", "numpy==1.7"),
    ("numpy[version='1.7']", "numpy==1.7"),
    ("numpy[version=1.7]", "numpy==1.7"),
    ("numpy 1.7", "numpy==1.7"),
    ("numpy[version='1.7|1.8']", "numpy[version='1.7|1.8']"),
    ('numpy[version="1.7,1.8"]', "numpy[version='1.7,1.8']"),
    ("numpy >1.7", "numpy[version='>1.7']"),
    ("numpy>=1.7", "numpy[version='>=1.7']"),
    ("numpy=1.7=py3*_2", "numpy==1.7[build=py3*_2]"),
    ("numpy=1.7.*=py3*_2", "numpy=1.7[build=py3*_2]"),
    ("https://repo.anaconda.com/pkgs/free::numpy", "https://repo.anaconda.com/pkgs/free::numpy"),
    ("numpy[channel=https://repo.anaconda.com/pkgs/free]",
     "https://repo.anaconda.com/pkgs/free::numpy"),
    ("defaults::numpy", "defaults::numpy"),
    ("numpy[channel=defaults]", "defaults::numpy"),
    ("conda-forge::numpy", "conda-forge::numpy"),
    ("numpy[channel=conda-forge]", "conda-forge::numpy"),
    ("numpy[channel=defaults,subdir=osx-64]", "defaults/osx-64::numpy"),
    ("numpy[channel=https://repo.anaconda.com/pkgs/free/osx-64, subdir=linux-64]",
     "https://repo.anaconda.com/pkgs/free/linux-64::numpy"),
    ("numpy[channel=https://repo.anaconda.com/pkgs/free, subdir=linux-64]",
     "https://repo.anaconda.com/pkgs/free/linux-64::numpy"),
    ("https://repo.anaconda.com/pkgs/free/win-32::numpy",
     "https://repo.anaconda.com/pkgs/free/win-32::numpy"),
    ("numpy[channel=https://repo.anaconda.com/pkgs/free/osx-64]",
     "https://repo.anaconda.com/pkgs/free/osx-64::numpy"),
    ("https://conda.anaconda.org/conda-forge::numpy", "conda-forge::numpy"),
    ("http://127.0.0.1:8000/chan::numpy", "http://127.0.0.1:8000/chan::numpy"),
    ("numpy[channel=file:///tmp/chan, subdir=noarch]", "file:///tmp/chan/noarch::numpy"),
    ("pkgs/main::numpy", "defaults::numpy"),
    ("pkgs/main/linux-64::numpy", "defaults/linux-64::numpy"),
    ("pkgs/r::numpy", "defaults::numpy"),
    ("numpy[channel=pkgs/main]", "defaults::numpy"),
    ("numpy=", "numpy"),
    ("defaults/win-32::numpy", "defaults/win-32::numpy"),
    ("conda-forge/linux-64::numpy", "conda-forge/linux-64::numpy"),
    ("numpy[channel=conda-forge,subdir=noarch]", "conda-forge/noarch::numpy"),
    ("numpy[subdir=win-32]", "numpy[subdir=win-32]"),
    ("*/win-32::numpy", "numpy[subdir=win-32]"),
    ('*/win-32::numpy[subdir="osx-64"]', "numpy[subdir=osx-64]"),
    ("numpy=1.10=py38_0", "numpy==1.10=py38_0"),
    ("numpy==1.10=py38_0", "numpy==1.10=py38_0"),
    ("numpy[version=1.10 build=py38_0]", "numpy==1.10=py38_0"),
    ("numpy!=1.10", "numpy!=1.10"),
    ("numpy !=1.10", "numpy!=1.10"),
    ("numpy!=1.10 py38_0", "numpy[version='!=1.10',build=py38_0]"),
    ("numpy!=1.10=py38_0", "numpy[version='!=1.10',build=py38_0]"),
    ("numpy >1.7,!=1.10 py38_0", "numpy[version='>1.7,!=1.10',build=py38_0]"),
    ("numpy!=1.10.*", "numpy!=1.10.*"),
    ("numpy!=1.10,!=1.11", "numpy[version='!=1.10,!=1.11']"),
    ("numpy=1.10.*,!=1.10.2", "numpy[version='=1.10.*,!=1.10.2']"),
    ("numpy ~=1.10.1", "numpy~=1.10.1"),
    ("numpy ~=1.10.1 py38_0", "numpy[version='~=1.10.1',build=py38_0]"),
    ("openssl=1.1.1_", "openssl=1.1.1_"),
    ("openssl>=1.1.1_,!=1.1.1c", "openssl[version='>=1.1.1_,!=1.1.1c']"),
    ("mkl@", "*[track_features=mkl]"),
    ("pkgs/main::*", "defaults::*"),
    ("foo=1.0=py27_0", "foo==1.0=py27_0"),
    ("conda-forge::foo[version=1.0.*]", "conda-forge::foo=1.0"),
    ("conda-forge/linux-64::foo>=1.0", "conda-forge/linux-64::foo[version='>=1.0']"),
    ("*/linux-64::foo>=1.0", "foo[subdir=linux-64,version='>=1.0']"),
    ("conda-forge/linux-64::numpy >=1.20 py*_0[md5=abc, build_number='>=2']",
     "conda-forge/linux-64::numpy[version='>=1.20',build=py*_0,build_number='>=2',md5=abc]"),
    ("foo # a comment", "foo"),
    ("foo >=1.0 if python", "foo[version='>=1.0']"),
    ("FOO-Bar >=1.0", "foo-bar[version='>=1.0']"),
]  # fmt: skip


def record(name: str = "numpy", version: str = "1.7.1", build: str = "py27_0", **kw: object):
    kw.setdefault("build_number", int(build.rsplit("_", 1)[-1]) if "_" in build else 0)
    return PackageRecord(name=name, version=version, build=build, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "canonical"), CANONICAL)
def test_canonical_string(text: str, canonical: str):
    assert str(MatchSpec(text)) == canonical


# conda keeps a "*" version but never prints it (never "numpy=")
ANY_VERSION = [
    ("numpy[version=*]", "numpy"),
    ("numpy *", "numpy"),
    ("numpy=*", "numpy"),
    ("numpy[version=*, md5=abc]", "numpy[md5=abc]"),
    ("numpy[version=*, build=py_0]", "numpy[build=py_0]"),
    ("pkgs/main::numpy[version=*]", "defaults::numpy"),
    ("blas * openblas", "blas[build=openblas]"),
    ("libblas=*=*mkl", "libblas[build=*mkl]"),
]


@pytest.mark.parametrize(("text", "canonical"), ANY_VERSION)
def test_any_version_is_left_out_of_the_canonical_string(text: str, canonical: str):
    assert str(MatchSpec(text)) == canonical
    assert str(MatchSpec(text).get("version")) == "*"


@pytest.mark.parametrize(("text", "canonical"), CANONICAL)
def test_canonical_string_is_a_fixed_point(text: str, canonical: str):
    assert str(MatchSpec(canonical)) == canonical
    assert MatchSpec(canonical) == MatchSpec(text)


def test_canonical_string_from_fields():
    assert str(MatchSpec(name="foo", build="py2*", channel="conda-forge")) == (
        "conda-forge::foo[build=py2*]"
    )
    assert str(MatchSpec(track_features="mkl")) == "*[track_features=mkl]"
    assert str(MatchSpec(features="mkl")) == "*[features=mkl]"
    assert str(MatchSpec(name="numpy", version="=1.7")) == "numpy=1.7"


# conda's match table against numpy-1.7.1-py27_0
MATCHES = [
    ("numpy 1.7*", True), ("numpy 1.7.1", True), ("numpy 1.7", False), ("numpy 1.5*", False),
    ("numpy >=1.5", True), ("numpy >=1.5,<2", True), ("numpy >=1.8,<1.9", False),
    ("numpy >1.5,<2,!=1.7.1", False), ("numpy >1.8,<2|==1.7", False),
    ("numpy >1.8,<2|>=1.7.1", True), ("numpy >=1.8|1.7*", True), ("numpy ==1.7", False),
    ("numpy >=1.5,>1.6", True), ("numpy ==1.7.1", True), ("numpy ==1.7.1.0", True),
    ("numpy==1.7.1.0.0", True), ("numpy >=1,*.7.*", True), ("numpy *.7.*,>=1", True),
    ("numpy >=1,*.8.*", False), ("numpy >=2,*.7.*", False), ("numpy 1.6*|1.7*", True),
    ("numpy 1.6*|1.8*", False), ("numpy 1.6.2|1.7*", True), ("numpy 1.6.2|1.7.1", True),
    ("numpy 1.6.2|1.7.0", False), ("numpy 1.7.1 py27_0", True), ("numpy 1.7.1 py26_0", False),
    ("numpy >1.7.1a", True), ("python", False), ("numpy=1.7", True), ("numpy==1.7", False),
    ("num* >=1", True), ("^num.*$", True), ("numpy[build_number=0]", True),
    ("numpy[build_number='>0']", False), ("numpy 1.7.1 py27*", True),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), MATCHES)
def test_match_against_a_record(text: str, expected: bool):
    assert MatchSpec(text).match(record()) is expected


@pytest.mark.parametrize(("text", "expected"), MATCHES)
def test_match_against_a_mapping(text: str, expected: bool):
    fields = {"name": "numpy", "version": "1.7.1", "build": "py27_0", "build_number": 0}
    assert MatchSpec(text).match(fields) is expected


@pytest.mark.parametrize(("text", "expected"), MATCHES)
def test_match_fields_fast_path(text: str, expected: bool):
    assert MatchSpec(text).match_fields("numpy", "1.7.1", "py27_0", 0) is expected


def test_pep440_style_versions():
    assert not MatchSpec("numpy >=1.0.1").match(record(version="1.0.1a", build="0"))
    assert not MatchSpec("numpy >=1.0.1.vc11").match(record(version="1.0.1a.vc11", build="0"))
    assert MatchSpec("numpy >=1.0.1*.vc11").match(record(version="1.0.1a.vc11", build="0"))
    assert MatchSpec("numpy <1.0.1").match(record(version="1.0.1.vc11", build="0"))
    assert MatchSpec("numpy >=1.0.1a py27*").match(record(version="1.0.1z", build="py27_1"))
    assert MatchSpec("blas * openblas_0").match(record("blas", "1.0", "openblas_0"))


def test_bracket_matches_on_a_mapping():
    fields = {"name": "numpy", "version": "1.11.0", "build": "py34_7", "build_number": 7}
    assert MatchSpec("numpy<2").match(fields)
    assert not MatchSpec("numpy>2").match(fields)
    assert not MatchSpec("numpy[version='>2']").match(fields)
    assert MatchSpec("numpy[build_number='7']").match(fields)
    assert MatchSpec("numpy[build_number='<8']").match(fields)
    assert not MatchSpec("numpy[build_number='>7']").match(fields)
    assert MatchSpec("numpy ~=1.10").match(fields)


def test_license_matches_case_insensitively_and_by_glob():
    fields = {"name": "numpy", "version": "1", "build": "0", "build_number": 0,
              "license": "LGPLv3+", "license_family": "LGPL"}  # fmt: skip
    for text in ("*[license_family='LGPL']", "*[license_family='lgpl']", "*[license_family='*gp*']",
                 "*[license='*gpl*']", "*[license='*v3+']"):  # fmt: skip
        assert MatchSpec(text).match(fields), text
    assert not MatchSpec("*[license_family=mit]").match(fields)


def test_track_features_match_as_sets():
    spec = MatchSpec(track_features="mkl")
    assert spec.match(record(track_features=("mkl",)))
    assert not spec.match(record(track_features=("mkl", "debug")))
    assert not spec.match(record())
    assert MatchSpec(track_features="").get_exact_value("track_features") == frozenset()
    assert MatchSpec(track_features=("", "test")).get_exact_value("track_features") == {"test"}


def test_channel_matching_by_name_and_canonical_name():
    main = record(channel=Channel("https://repo.anaconda.com/pkgs/main/linux-64"))
    forge = record(channel=Channel("conda-forge"))
    assert MatchSpec("defaults::numpy").match(main)
    assert MatchSpec("pkgs/main::numpy").match(main)
    assert not MatchSpec("conda-forge::numpy").match(main)
    assert MatchSpec("conda-forge::numpy").match(forge)
    assert MatchSpec("https://conda.anaconda.org/conda-forge::numpy").match(forge)
    assert MatchSpec("numpy[channel=conda-*]").match(forge)
    # conda reads a multichannel member as the multichannel: "pkgs/main::" is "defaults::"
    assert MatchSpec("pkgs/main::numpy").match(record(channel=Channel("defaults")))


def test_subdir_and_hash_fields():
    rec = record(subdir="linux-64", md5="abc", sha256="def")
    assert MatchSpec("linux-64::numpy").match(rec) is False  # "linux-64" is a channel name
    assert MatchSpec("*/linux-64::numpy").match(rec)
    assert MatchSpec("numpy[md5=abc]").match(rec)
    assert not MatchSpec("numpy[md5=abd]").match(rec)
    assert MatchSpec("numpy[sha256=def]").match(rec)


def test_exact_values():
    assert MatchSpec("*").get_exact_value("name") is None
    assert MatchSpec("numpy").get_exact_value("name") == "numpy"
    assert MatchSpec("numpy=1.7").get_exact_value("version") is None
    assert MatchSpec("numpy==1.7").get_exact_value("version") == "1.7"
    assert MatchSpec("numpy[version=1.7]").get_exact_value("version") == "1.7"
    assert MatchSpec("numpy=1.7=py3*_2").get_exact_value("version") == "1.7"
    assert MatchSpec("numpy=1.7=py3*_2").get_exact_value("build") is None
    assert MatchSpec("numpy=1.7.*=py37_2").get_exact_value("version") is None
    assert MatchSpec("numpy=1.7.*=py37_2").get_exact_value("build") == "py37_2"


def test_raw_values_and_get():
    spec = MatchSpec("conda-forge::numpy>=1.2[md5=abc]")
    assert spec.get_raw_value("version") == ">=1.2"
    assert spec.get("md5") == "abc"
    assert spec.get("sha256", "none") == "none"
    assert isinstance(spec.version, VersionSpec)
    assert spec.name == "numpy"
    assert "md5" in spec and "url" not in spec


def test_name_is_star_when_not_exact():
    assert MatchSpec("num*").name == "*"
    assert MatchSpec(track_features="mkl").name == "*"


def test_strictness():
    assert MatchSpec("foo").strictness == 1
    assert MatchSpec("foo 1.2").strictness == 2
    assert MatchSpec("foo 1.2 3").strictness == 3
    assert MatchSpec("foo 1.2 3 [channel=burg]").strictness == 3
    assert MatchSpec("test* 1.2").strictness == 3
    assert MatchSpec("foo", build_number=2).strictness == 3


def test_simple_and_name_only():
    assert MatchSpec("blas").is_simple()
    assert MatchSpec("blas").is_name_only_spec
    assert not MatchSpec("blas 1.0").is_simple()
    assert not MatchSpec("*").is_name_only_spec


def test_optional_and_target_are_kept_through_copies():
    spec = MatchSpec("blas 1.0", optional=True)
    copy = MatchSpec(spec, optional=False)
    targeted = MatchSpec(copy, target="blas-1.0-0.tar.bz2")
    back = MatchSpec(targeted, target=None, optional=True)
    assert spec.optional and not copy.optional and str(spec) == str(copy)
    assert targeted.target == "blas-1.0-0.tar.bz2"
    assert spec == back
    assert spec != copy
    assert MatchSpec("numpy[optional=true]").optional


def test_equality_and_hash():
    a, b = MatchSpec("numpy 1.7*"), MatchSpec(name="numpy", version="1.7*")
    assert a == b and hash(a) == hash(b)
    assert MatchSpec("python 2.7.4") == MatchSpec("* 2.7.4", name="python")
    assert MatchSpec("python") != MatchSpec("python 2.7.4")
    assert MatchSpec(a, optional=True) != a
    assert MatchSpec(a) is a


def test_kwargs_override_the_string():
    spec = MatchSpec("numpy 1.7 py27_0", version="1.8")
    assert str(spec) == "numpy==1.8=py27_0"
    assert spec.original_spec_str is None
    assert MatchSpec("numpy 1.7", optional=True).original_spec_str == "numpy 1.7"


def test_from_a_mapping_and_a_record():
    assert str(MatchSpec({"name": "numpy", "version": ">=1"})) == "numpy[version='>=1']"
    rec = record(channel=Channel("conda-forge"), subdir="linux-64")
    assert str(MatchSpec(rec)) == "conda-forge/linux-64::numpy==1.7.1=py27_0"
    assert MatchSpec(rec).match(rec)


def test_tarball_url_spec():
    url = ("https://conda.anaconda.org/conda-canary/linux-64/"
           "conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2")  # fmt: skip
    spec = MatchSpec(url)
    assert str(spec) == "conda-canary/linux-64::conda==4.3.21.post699+1dab973=py36h4a561cd_0"
    assert spec.get_exact_value("fn") == "conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2"
    assert spec.get_exact_value("url") == url


def test_tarball_url_without_subdir_is_a_url_spec():
    url = "https://conda.anaconda.org/conda-canary/conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2"
    assert str(MatchSpec(url)) == f"*[url={url}]"
    fn = url.rsplit("/", 1)[1]
    rec = record("conda", "4.3.21.post699+1dab973", "py36h4a561cd_0", url=url, fn=fn)
    assert MatchSpec(url).match(rec)
    assert not MatchSpec(url=url, md5="1234").match(rec)


def test_package_file_path_spec():
    spec = MatchSpec("/some/file/on/disk/package-1.2.3-2.tar.bz2")
    assert str(spec) == "*[url=file:///some/file/on/disk/package-1.2.3-2.tar.bz2]"
    assert spec.get_exact_value("fn") == "package-1.2.3-2.tar.bz2"


def test_defaults_url_tarball_spec_names_defaults():
    spec = MatchSpec("https://repo.anaconda.com/pkgs/main/linux-64/_license-1.1-py27_1.tar.bz2")
    assert spec.get_raw_value("channel").canonical_name == "defaults"
    assert spec.get_exact_value("subdir") == "linux-64"
    assert spec.name == "_license"


def test_name_inside_and_outside_brackets_warns_and_keeps_outside():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = MatchSpec("tensorflow[name=pytorch]")
    assert spec.name == "tensorflow"
    assert caught and issubclass(caught[0].category, UserWarning)


@pytest.mark.parametrize(
    "bad",
    ["", "blas [optional", "blas [test=]", 'blas[invalid="1"]', "numpy==", "numpy>=", "numpy= ",
     ">=1.0", "numpy 1.0 [md5=1] [x=2]", "numpy[version='>=1',build=a]x[y=1]", "numpy >=1.0.*x,"],
)  # fmt: skip
def test_invalid_specs_raise_invalid_match_spec(bad: str):
    with pytest.raises(InvalidMatchSpec):
        MatchSpec(bad)


@pytest.mark.parametrize(
    "bad",
    ['"numpy"', "'numpy'", 'num"py', "foo@bar", ".numpy", "-numpy", "numpy..x", "numpy--x",
     "num$py", "num+py", "num/py", "__", "___x", "conda-forge::.hidden >=1"],
)  # fmt: skip
def test_package_names_are_validated_as_cep_26_says(bad: str):
    with pytest.raises(InvalidMatchSpec, match="package name"):
        MatchSpec(bad)


@pytest.mark.parametrize(
    "good", ["_libgcc_mutex", "__glibc", "numpy-", "numpy.", "numpy_", "py-lief", "1abc",
             "Numpy", "a", "_", "num*py", "mkl@", "__cuda >=11"],
)  # fmt: skip
def test_valid_and_glob_names_are_accepted(good: str):
    assert MatchSpec(good).name


# CEP 26 alphabet: single separators between runs of lower-case letters and digits
_cep26_names = st.from_regex(r"_?[a-z0-9]{1,4}([._-][a-z0-9]{1,4}){0,3}[._-]?", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(_cep26_names)
def test_every_cep_26_name_is_a_valid_spec_that_prints_itself(name: str):
    assert str(MatchSpec(name)) == name


@settings(max_examples=200, deadline=None)
@given(_cep26_names, st.sampled_from(["@", '"', "'", "$", "+", "!", "/", "..", "--", "._"]),
       st.booleans())  # fmt: skip
def test_a_name_with_a_forbidden_character_or_pair_is_invalid(name: str, bad: str,
                                                              front: bool):
    with pytest.raises(InvalidMatchSpec):
        MatchSpec(bad + name if front else name + bad + "x")


@settings(max_examples=200, deadline=None)
@given(_cep26_names, st.sampled_from(["[version=*]", " *", "=*", "="]),
       st.sampled_from(["", "conda-forge::", "[md5=abc]"]))  # fmt: skip
def test_any_version_is_never_printed(name: str, star: str, extra: str):
    text = str(MatchSpec(f"{extra}{name}{star}" if extra != "[md5=abc]" else
                         f"{name}{star}" if "[" in star else f"{name}{star}[md5=abc]"))
    assert "=" not in text.replace("md5=", "")


def test_invalid_argument_types():
    with pytest.raises(InvalidMatchSpec):
        MatchSpec((1, 2, 3))
    with pytest.raises(InvalidMatchSpec):
        MatchSpec(name="numpy", nonsense="x")


def test_trailing_equals_means_any_version():
    assert MatchSpec("numpy=").match(record())
    assert str(MatchSpec("numpy=")) == "numpy"


def test_merge_combines_per_name():
    merged = MatchSpec.merge(["numpy >=1.7", "numpy <2", "scipy", "*[track_features=mkl]"])
    by_name = {spec.name: str(spec) for spec in merged}
    assert by_name["numpy"] == "numpy[version='<2,>=1.7']"
    assert by_name["scipy"] == "scipy"
    assert by_name["*"] == "*[track_features=mkl]"


def test_merge_prefers_the_narrower_build_glob():
    (merged,) = MatchSpec.merge(["numpy[build=py*]", "numpy[build=py27_0]"])
    assert str(merged.get_raw_value("build")) == "py27_0"


def test_merge_of_conflicting_builds_raises():
    with pytest.raises(IncompatibleMatchSpecs):
        MatchSpec.merge(["numpy 1.7 py27_0", "numpy 1.7 py36_0"])


def test_union_joins_with_or():
    (united,) = MatchSpec.union(["numpy 1.7", "numpy 1.8"])
    assert united.match(record(version="1.8")) and united.match(record(version="1.7"))


def test_conda_build_form():
    assert MatchSpec("foo=1.0=2").conda_build_form() == "foo 1.0 2"
    assert MatchSpec("foo>=1.0").conda_build_form() == "foo >=1.0"
    assert MatchSpec("foo >=1.0 , < 2.0").conda_build_form() == "foo >=1.0,<2.0"


def test_repr_and_pickle():
    spec = MatchSpec("conda-forge::numpy >=1.20", optional=True)
    assert repr(spec) == "MatchSpec(\"conda-forge::numpy[version='>=1.20']\", optional=True)"
    assert pickle.loads(pickle.dumps(spec)) == spec


def test_specs_are_cached_by_string():
    assert MatchSpec("scipy >=1") is MatchSpec("scipy >=1")


# -- properties --------------------------------------------------------------------------------
_names = st.sampled_from(["numpy", "python", "_libgcc_mutex", "py-lief", "r-base", "*", "num*"])
_versions = st.sampled_from(["", " 1.7", "=1.7", "==1.7.1", " >=1.7,<2", " 1.7.*", " *", "!=1.8",
                             " ~=1.7.1", ">1|<0.5", " 1.7|1.8", "=1.7.1_"])  # fmt: skip
_builds = st.sampled_from(["", " py27_0", " py*", " *_0", "=h1234_1"])
_channels = st.sampled_from(["", "conda-forge::", "defaults::", "conda-forge/linux-64::",
                             "*/osx-64::", "https://repo.anaconda.com/pkgs/main::"])  # fmt: skip
_brackets = st.sampled_from(["", "[md5=abc]", "[build_number='>=2']", "[license=MIT]",
                             "[version='>=1.0']", "[subdir=noarch, fn=x.conda]"])  # fmt: skip


def _join(channel: str, name: str, version: str, build: str, brackets: str) -> str:
    return channel + name + version + (build if version else "") + brackets


_specs = st.builds(_join, _channels, _names, _versions, _builds, _brackets)


@settings(max_examples=300, deadline=None)
@given(_specs)
def test_str_then_parse_is_a_fixed_point(text: str):
    try:
        spec = MatchSpec(text)
    except InvalidMatchSpec:
        return
    canonical = str(spec)
    assert str(MatchSpec(canonical)) == canonical
    reparsed = MatchSpec(canonical)
    if str(spec.get("version")) == "*":  # conda prints "numpy *" as "numpy", keeping the "*"
        assert reparsed.get("version") is None
        assert all(str(reparsed.get(f)) == str(spec.get(f)) for f in FIELD_NAMES
                   if f != "version")
    else:
        assert reparsed == spec, (text, canonical)


@settings(max_examples=200, deadline=None)
@given(_specs, st.sampled_from(["1.7", "1.7.1", "1.8", "2.0", "0.4"]),
       st.sampled_from(["py27_0", "py36_1", "h1234_1"]))  # fmt: skip
def test_str_then_parse_matches_the_same_records(text: str, version: str, build: str):
    try:
        spec = MatchSpec(text)
    except InvalidMatchSpec:
        return
    rec = record(version=version, build=build, channel=Channel("conda-forge"), subdir="noarch")
    assert MatchSpec(str(spec)).match(rec) is spec.match(rec)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_any_text_parses_or_raises_invalid_match_spec(text: str):
    try:
        MatchSpec(text)
    except InvalidMatchSpec:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("numpy0123456789.*=<>!~,|()^$ [] '\"_-:/@#")),
               max_size=30))  # fmt: skip
def test_spec_like_text_parses_or_raises_invalid_match_spec(text: str):
    try:
        spec = MatchSpec(text)
    except InvalidMatchSpec:
        return
    str(spec)
