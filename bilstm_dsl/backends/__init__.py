"""Backends turn a checked spec into something that runs. `plan` translates a checked
spec into Keras constructor calls without importing Keras; `keras` builds them; `python`
renders them as source code."""
