"""The sizes past which bilstm-dsl refuses a spec, where reading, writing and checking all
need them without loading one another (the parser keeps its own: stages, depth, digits)."""

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""Largest spec accepted (E011), in bytes of UTF-8: real specs are a few hundred bytes, and
a bound keeps a stray multi-megabyte file from costing seconds and hundreds of megabytes."""
