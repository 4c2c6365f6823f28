"""The index tests use the network tests' real server and configuration fixtures."""

from tests.network.conftest import channel_dir, configure, server

__all__ = ["channel_dir", "configure", "server"]
