"""plan_transaction and toposort."""

from __future__ import annotations

from plugins.transaction import plan_transaction, toposort


def rec(name: str, version: str = "1", build: str = "0", depends=(), **kw) -> dict:  # type: ignore[no-untyped-def]
    return {"name": name, "version": version, "build": build, "build_number": 0,
            "depends": list(depends), "channel": "https://conda.anaconda.org/c/linux-64",
            "subdir": "linux-64", **kw}


def test_toposort_puts_dependencies_first() -> None:
    records = [rec("app", depends=["lib >=1", "python"]), rec("lib", depends=["zlib"]),
               rec("zlib"), rec("python", depends=["zlib"])]
    names = [r["name"] for r in toposort(records)]
    assert names.index("zlib") < names.index("lib") < names.index("app")
    assert names.index("python") < names.index("app")


def test_toposort_tolerates_cycles() -> None:
    names = [r["name"] for r in toposort([rec("a", depends=["b"]), rec("b", depends=["a"])])]
    assert sorted(names) == ["a", "b"]


def test_plan_diff() -> None:
    installed = [rec("a"), rec("b"), rec("c")]
    final = [rec("a"), rec("b", "2"), rec("d")]
    plan = plan_transaction("/nowhere", final, installed=installed)
    assert sorted(r["name"] for r in plan.unlink) == ["b", "c"]
    assert sorted(r["name"] for r in plan.link) == ["b", "d"]
    assert plan_transaction("/nowhere", installed, installed=installed).nothing_to_do


def test_channel_change_relinks_and_force_reinstall() -> None:
    installed = [rec("a")]
    other = [rec("a", channel="https://conda.anaconda.org/other/linux-64")]
    assert [r["name"] for r in plan_transaction("/x", other, installed=installed).link] == ["a"]
    forced = plan_transaction("/x", installed, installed=installed, force_reinstall=["a"])
    assert [r["name"] for r in forced.unlink] == ["a"]


def test_links_follow_the_order_of_the_whole_final_environment() -> None:
    # conda orders a transaction within the environment it makes: jpeg (level 1, over
    # libgcc) links before conda (level 2, over python), whatever their names say
    base = [rec("libgcc"), rec("python", depends=["libgcc"])]
    installed = [*base, rec("conda", "4.5.8", depends=["python"])]
    final = [*base, rec("conda", "4.5.10", depends=["python"]), rec("jpeg", depends=["libgcc"])]
    plan = plan_transaction("/nowhere", final, installed=installed)
    assert [r["name"] for r in plan.link] == ["jpeg", "conda"]


def test_unlinks_run_in_the_reverse_order_of_the_environment_they_leave() -> None:
    installed = [rec("libgcc"), rec("python", depends=["libgcc"]),
                 rec("conda", depends=["python"]), rec("jpeg", depends=["libgcc"])]
    plan = plan_transaction("/nowhere", [rec("libgcc")], installed=installed)
    assert [r["name"] for r in plan.unlink] == ["conda", "python", "jpeg"]


def test_toposort_places_isolated_records_first_then_level_by_level() -> None:
    records = [rec("b", depends=["a"]), rec("a"), rec("z"), rec("c", depends=["b"])]
    assert [r["name"] for r in toposort(records)] == ["z", "a", "b", "c"]
