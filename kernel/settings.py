"""The condarc keys conda documents, with their types, defaults and descriptions.

Keys whose default depends on the machine (``pkgs_dirs``, ``envs_dirs``, ``subdir``,
``default_channels``) default to ``None`` here and are computed by :mod:`kernel.config`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import attrs

from kernel.parameters import (
    MapParameter,
    Parameter,
    PrimitiveParameter,
    SequenceParameter,
)


def _one_of(*choices: str) -> Any:
    def check(value: Any) -> Any:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {value!r}")
        return value

    return check


def _channel_priority(value: Any) -> str:
    if value is True:
        return "flexible"
    if value is False:
        return "disabled"
    return str(_one_of("strict", "flexible", "disabled")(str(value).lower()))


def _positive(value: Any) -> Any:
    if not value >= 0:  # NaN too
        raise ValueError(f"expected a number >= 0, got {value!r}")
    return value


@attrs.frozen
class ThreadsParameter(PrimitiveParameter):
    """A thread count whose 0 (the default) means "not set": it reads as ``None``, as
    conda's ``*_threads`` settings do (``config --show`` prints ``None``)."""

    def merge(self, values: Sequence[Any]) -> Any:
        return super().merge(values) or None


P = PrimitiveParameter
S = SequenceParameter

#: key -> (parameter, one-line description)
SETTINGS: dict[str, tuple[Parameter, str]] = {
    # channels
    "channels": (S(str, ("defaults",)), "Channels searched for packages, highest priority first."),
    "default_channels": (S(str), "Channels the 'defaults' multichannel expands to."),
    "channel_alias": (P("https://conda.anaconda.org"), "Base URL prepended to channel names."),
    "custom_channels": (MapParameter(str), "Channel name -> base URL overrides."),
    "custom_multichannels": (MapParameter(list), "Name -> list of channels, like 'defaults'."),
    "migrated_channel_aliases": (S(str), "Old channel aliases rewritten to channel_alias."),
    "channel_priority": (P("flexible", (str, bool), _channel_priority),
                         "strict, flexible or disabled."),
    "channel_settings": (S(dict), "Per-channel settings, e.g. {channel: URL, auth: NAME}."),
    "override_channels_enabled": (P(True), "Allow --override-channels."),
    "allow_non_channel_urls": (P(False), "Allow package URLs outside configured channels."),
    "repodata_fns": (S(str, ("repodata.json",)), "Repodata file names tried in order."),
    "repodata_use_zst": (P(True), "Fetch repodata.json.zst when a channel has it."),
    "repodata_use_shards": (P(True), "Read sharded repodata (CEP 16) when a channel has it."),
    "repodata_threads": (ThreadsParameter(0, int, _positive),
                         "Threads downloading and reading repodata (0: the default)."),
    "use_only_tar_bz2": (P(False), "Ignore .conda packages."),
    "local_repodata_ttl": (P(1, (bool, int)), "Seconds repodata is fresh; 1/true = use max-age."),
    "use_index_cache": (P(False), "Use cached repodata without checking the server."),
    "offline": (P(False), "Never touch the network."),
    # network
    "ssl_verify": (P(True, (bool, str)), "Verify TLS: true, false, or a CA bundle path."),
    "client_ssl_cert": (P(None, str), "Client certificate file."),
    "client_ssl_cert_key": (P(None, str), "Client certificate key file."),
    "proxy_servers": (MapParameter(str), "Scheme or scheme://host -> proxy URL."),
    "remote_connect_timeout_secs": (P(9.15, float, _positive), "Connect timeout in seconds."),
    "remote_read_timeout_secs": (P(60.0, float, _positive), "Read timeout in seconds."),
    "remote_max_retries": (P(3, int, _positive), "Retries on connection errors and 5xx."),
    "remote_backoff_factor": (P(1.0, float, _positive), "Backoff factor between retries."),
    # solving
    "solver": (P("sat"), "Solver plugin to use (conda setting 'solver')."),
    "add_pip_as_python_dependency": (P(True), "Add pip to every python's dependencies."),
    "aggressive_update_packages": (S(str, ("ca-certificates", "certifi", "openssl")),
                                   "Packages always updated when present."),
    "pinned_packages": (S(str, (), "&"), "Specs every solve must respect ('&' between them "
                                         "in a variable)."),
    "update_modifier": (P("update_specs", str, _one_of(
        "update_specs", "freeze_installed", "update_deps", "update_all",
        "specs_satisfied_skip_solve")), "How installed packages may change."),
    "deps_modifier": (P("not_set", str, _one_of("not_set", "no_deps", "only_deps")),
                      "How dependencies are treated."),
    "track_features": (S(str), "Features to track in every solve."),
    "ignore_pinned": (P(False), "Ignore pinned_packages and conda-meta/pinned (--no-pin)."),
    "auto_update_conda": (P(True), "In the root prefix, let conda update (never downgrade) "
                                   "whenever something is installed there."),
    "virtual_packages": (MapParameter(None),
                         "Override virtual packages: name -> version (build for archspec)."),
    "subdir": (P(None, str), "Target platform subdir, e.g. linux-64."),
    "subdirs": (S(str), "Subdirs searched (default: subdir and noarch)."),
    # paths
    "root_prefix": (P(None, str), "The root (base) prefix."),
    "pkgs_dirs": (S(str), "Package cache directories; the first writable one is used."),
    "envs_dirs": (S(str, (), os.pathsep), "Directories holding named environments."),
    "create_default_packages": (S(str), "Packages added to every new environment."),
    "register_envs": (P(True), "Record new environments in ~/.conda/environments.txt."),
    # linking
    "allow_softlinks": (P(False), "Allow soft links when hard links fail."),
    "always_copy": (P(False), "Copy files instead of linking."),
    "always_softlink": (P(False), "Soft-link files instead of hard-linking."),
    "path_conflict": (P("clobber", str, _one_of("clobber", "warn", "prevent")),
                      "What to do when two packages write one path."),
    "safety_checks": (P("warn", str, _one_of("enabled", "warn", "disabled")),
                      "Verify package files on link."),
    "extra_safety_checks": (P(False), "Also verify sha256 of every file."),
    "fetch_threads": (P(5, int, _positive), "Parallel downloads."),
    "extract_threads": (P(0, int, _positive), "Parallel extractions (0 = CPU count)."),
    # shells
    "changeps1": (P(True), "Show the environment in the prompt."),
    "env_prompt": (P("({default_env}) "), "Prompt modifier template."),
    "auto_activate": (P(True), "Activate base in new shells."),
    "auto_stack": (P(0, int, _positive), "Stack activations up to this depth."),
    # output and behaviour
    "always_yes": (P(False), "Answer yes to every prompt."),
    "dry_run": (P(False), "Only show what would be done."),
    "json": (P(False), "Print JSON."),
    "quiet": (P(False), "No progress output."),
    "verbosity": (P(0, int, _positive), "Log level: 0 warnings, 1 info, 2 debug, 3 trace."),
    "console": (P("console"), "Reporter backend for output."),
    "show_channel_urls": (P(None, bool), "Show channel URLs in listings."),
    "no_plugins": (P(False), "Load only the plugins shipped with microconda."),
    "notify_outdated_conda": (P(False), "Warn when a newer conda exists."),
    "report_errors": (P(False), "Send error reports (never done by microconda)."),
    "unsatisfiable_hints": (P(True), "Explain unsatisfiable solves."),
    "envvars_force_uppercase": (P(True), "Uppercase names in env config vars."),
    "experimental": (S(str), "Experimental features to enable."),
}

#: old names conda still reads -> current names
ALIASES = {"auto_activate_base": "auto_activate", "channel": "channels",
           "envs_path": "envs_dirs", "root_dir": "root_prefix", "self_update": "auto_update_conda",
           "verify_ssl": "ssl_verify"}

#: settings whose string values expand ``$VAR`` / ``${VAR}`` (conda's list: credentials for
#: private channels and proxies can live in the environment instead of the file)
EXPAND_VARS = frozenset({
    "channels", "channel_alias", "client_ssl_cert", "client_ssl_cert_key", "custom_channels",
    "custom_multichannels", "default_channels", "envs_dirs", "migrated_channel_aliases",
    "pkgs_dirs", "proxy_servers", "ssl_verify",
})
