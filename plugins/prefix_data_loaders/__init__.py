"""Prefix data loaders: records of packages conda did not install (pip's, ...)."""
