"""Environment file formats, one plugin module each (see docs/environment_files.md).

``model`` is the shared data model; the formats are reached only through the
``conda_environment_specifiers`` / ``conda_environment_exporters`` hooks.
"""
