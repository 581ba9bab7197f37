"""Saved Keras models read as their config: no TensorFlow, no Keras, no weights.

- ``.keras`` (Keras 3's native format) is a zip archive; its ``config.json`` is the model's
  ``serialize_keras_object`` form, read with `zipfile` and `json`. The weights
  (``model.weights.h5``) are never opened.
- ``.json``: what ``model.to_json()`` and ``bilstm-dsl compile --emit json`` write, or a
  bare ``model.get_config()``.
- ``.h5`` / ``.hdf5`` (Keras 2's format, and Keras 3's legacy one): the JSON text of the
  file's ``model_config`` attribute. HDF5 needs h5py, an optional extra
  (``pip install 'bilstm-dsl[import-h5]'``), imported only here and only for such a file.

A file is recognised by its first bytes (zip, HDF5 or JSON), so a ``.keras`` file renamed
``model.bin`` still reads; `MODEL_SUFFIXES` are the names the CLI treats as saved models.
Every failure is a `ReadError` (exit 2): what the file is and why it cannot be read.
"""

from __future__ import annotations

from .files import MODEL_SUFFIXES, ReadError, is_model_path

__all__ = ["MODEL_SUFFIXES", "ReadError", "SavedModel", "is_model_path", "read_model"]

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every start
if TYPE_CHECKING:
    import zipfile


MAX_CONFIG_BYTES = 64 * 1024 * 1024
"""The largest config read: a 20-layer model's is 50 KB; the bound keeps a hostile archive
(a zip bomb's config.json) from exhausting memory."""

_ZIP, _HDF5 = b"PK\x03\x04", b"\x89HDF\r\n\x1a\n"


class SavedModel:
    """A saved model's config as read from ``path``. (A plain class: `check` imports this
    module for every path it is given, and a dataclass costs a millisecond to make.)"""

    __slots__ = ("path", "format", "config", "keras_version")

    def __init__(
        self, path: str, format: str, config: dict[str, object], keras_version: str | None = None
    ) -> None:
        self.path = path
        self.format = format
        """``keras``, ``json`` or ``h5``."""
        self.config = config
        """The model's serialized form: ``{"class_name": ..., "config": {...}}``."""
        self.keras_version = keras_version
        """The Keras version that saved it, when the file says."""


def read_model(path: str) -> SavedModel:
    """The config of the saved model at ``path``; `ReadError` when there is none to read."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except IsADirectoryError:
        raise ReadError(path, "it is a directory, not a saved model") from None
    except OSError as error:
        raise ReadError(path, error.strerror or str(error)) from None
    if head.startswith(_ZIP):
        return _read_keras(path)
    if head.startswith(_HDF5):
        return _read_h5(path)
    return _read_json(path)


def _read_keras(path: str) -> SavedModel:
    import zipfile  # only for an archive: `check` imports this module for every path

    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo("config.json")
            except KeyError:
                raise ReadError(path, "no config.json in the archive: not a .keras model") from None
            if info.file_size > MAX_CONFIG_BYTES:
                raise ReadError(path, f"its config.json is {info.file_size:,} bytes, too large")
            data = archive.read(info)
            metadata = _metadata(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise ReadError(path, f"not a readable .keras archive ({error})") from None
    except OSError as error:
        raise ReadError(path, error.strerror or str(error)) from None
    config = _parse(path, data, "config.json")
    version = metadata.get("keras_version")
    return SavedModel(path, "keras", config, version if isinstance(version, str) else None)


def _metadata(archive: zipfile.ZipFile) -> dict[str, object]:
    try:
        info = archive.getinfo("metadata.json")
        if info.file_size > 1024 * 1024:
            return {}
        import json

        found = json.loads(archive.read(info))
    except (KeyError, ValueError, RecursionError):
        return {}
    return found if isinstance(found, dict) else {}


def _read_json(path: str) -> SavedModel:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as error:
        raise ReadError(path, error.strerror or str(error)) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ReadError(path, f"more than {MAX_CONFIG_BYTES:,} bytes, too large for a config")
    config = _parse(path, data, "the file")
    version = config.get("keras_version")
    return SavedModel(path, "json", config, version if isinstance(version, str) else None)


def _read_h5(path: str) -> SavedModel:
    try:
        import h5py
    except ImportError:
        raise ReadError(
            path,
            "reading .h5 models needs h5py: pip install 'bilstm-dsl[import-h5]' "
            "(or save the model as .keras)",
        ) from None
    try:
        with h5py.File(path, "r") as handle:
            raw = handle.attrs.get("model_config")
            version = handle.attrs.get("keras_version")
    except OSError as error:
        raise ReadError(path, f"not a readable HDF5 file ({error})") from None
    if raw is None:
        raise ReadError(
            path,
            "the file holds weights only, not the model's config: save the whole model "
            "(model.save), not model.save_weights",
        )
    data = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
    if isinstance(version, bytes):
        version = version.decode("utf-8", "replace")
    config = _parse(path, data, "its model_config attribute")
    return SavedModel(path, "h5", config, version if isinstance(version, str) else None)


def _parse(path: str, data: bytes, what: str) -> dict[str, object]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        import json  # here, not at the top: `check` imports this module for every path

        found = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ReadError(path, f"{what} is not UTF-8 text: not a saved Keras model") from None
    except ValueError as error:
        raise ReadError(path, f"{what} is not valid JSON ({error}): not a saved model") from None
    except RecursionError:
        raise ReadError(path, f"{what} nests too deeply to be a model config") from None
    if not isinstance(found, dict):
        raise ReadError(path, f"{what} holds a JSON {type(found).__name__}, not a model config")
    if "class_name" not in found:
        if "layers" not in found:
            raise ReadError(path, f"{what} is JSON, but not a Keras model's config")
        # A bare get_config(): a functional model lists its inputs, a Sequential does not.
        kind = "Functional" if "input_layers" in found else "Sequential"
        found = {"class_name": kind, "config": found}
    return found
