"""Environment files are matched by a plugin's ``default_filenames`` first, as conda does."""

from __future__ import annotations


def test_a_file_named_for_a_specifier_is_read_by_it_before_content_detection(twin, tmp_path):
    from plugins.subcommands.env.files import read_environment

    both = tmp_path / "twin.yml"  # valid environment.yml content too
    both.write_text("name: demo\n")
    assert read_environment(str(both)).name == "name: demo"
    plain = tmp_path / "environment.yml"
    plain.write_text("name: demo\n")
    assert read_environment(str(plain)).name == "demo"


def test_an_exporter_is_picked_by_a_file_name_pattern(twin):
    from plugins.subcommands.env.files import pick_exporter

    assert pick_exporter(None, "out/my-env.twin.json", "environment-yaml").name == "twin-format"
    assert pick_exporter(None, "out/my-env.json", "environment-yaml").name == "environment-json"
