"""Health check ``requests-ca-bundle``: a configured CA bundle exists and holds certificates.

``REQUESTS_CA_BUNDLE`` and an ``ssl_verify`` set to a path both replace the CA certificates
every download is verified with; a missing or malformed file makes every HTTPS request fail
with an unhelpful TLS error. Each bundle is loaded the way the TLS layer will load it
(``ssl.SSLContext.load_verify_locations``). No fixer: only the user knows the right bundle.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaHealthCheck

NAME = "requests-ca-bundle"


def configured_bundles() -> list[tuple[str, str]]:
    """``(where it is set, path)`` of each configured bundle."""
    from kernel.config import get_config

    config = get_config()
    found = []
    env = config.env.get("REQUESTS_CA_BUNDLE")
    if env:
        found.append(("REQUESTS_CA_BUNDLE", env))
    verify = config.ssl_verify
    if isinstance(verify, str) and verify.strip().lower() not in ("true", "false", ""):
        found.append((f"ssl_verify ({config.origin('ssl_verify')})", verify))
    return found


def problem_with(path: str) -> str | None:
    """``None`` when ``path`` is a usable CA bundle (a PEM file or a folder), else why not."""
    import ssl

    path = os.path.expanduser(path)
    if not os.path.exists(path):
        return "does not exist"
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        if os.path.isdir(path):
            context.load_verify_locations(capath=path)
            return None
        with open(path, "rb") as f:
            if b"-----BEGIN CERTIFICATE-----" not in f.read():
                return "holds no PEM certificate"
        context.load_verify_locations(cafile=path)
    except (ssl.SSLError, OSError, ValueError) as exc:
        return f"cannot be loaded as PEM certificates ({exc})"
    if not context.get_ca_certs() and os.path.isfile(path):
        return "holds no CA certificate"
    return None


def check(prefix: str, verbose: bool) -> None:
    from plugins.health_checks import report

    bundles = configured_bundles()
    for where, path in bundles:
        reason = problem_with(path)
        if reason is None:
            report.ok(f"The CA bundle {path} set by {where} is valid.", path=path, source=where)
        else:
            report.problem(f"The CA bundle {path} set by {where} {reason}.", path=path,
                           source=where, reason=reason)
    if not bundles:
        report.ok("No custom CA bundle is configured.")


@hookimpl
def conda_health_checks() -> Iterator[CondaHealthCheck]:
    yield CondaHealthCheck(
        name=NAME, action=check,
        summary="REQUESTS_CA_BUNDLE / ssl_verify name an existing, valid PEM bundle.")
