"""The built-in ``conda doctor`` health checks, one module (and one entry point) each.

Every check is an ordinary ``conda_health_checks`` plugin; ``conda doctor`` reaches them
only through that hook. Checks say what they found through :mod:`plugins.health_checks.report`
(``report.ok(...)`` / ``report.problem(...)``), which the doctor command reads for its
console and ``--json`` output and its exit status. See ``docs/doctor.md``.
"""
