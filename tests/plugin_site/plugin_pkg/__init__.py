"""A third-party package that registers a layer with bilstm-dsl (tests/test_plugins.py)."""
