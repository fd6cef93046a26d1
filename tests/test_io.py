"""Reading inputs: encodings, HTML pages, bad inputs, atomic writes."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from summtool.errors import InputError, UsageError
from summtool.io import (decode_bytes, document_from_bytes, html_to_text, iter_documents, read_path,
                         write_atomic)

from conftest import DATA, read_release

ZH_SIMPLIFIED = "zh_04.txt"
ZH_TRADITIONAL = "zh_09.txt"
EN = "en_08.txt"


@pytest.mark.parametrize(
    "name, encoding, expected",
    [
        (ZH_SIMPLIFIED, "gb18030", "gb18030"),
        (ZH_SIMPLIFIED, "gbk", "gb18030"),  # decoded with the superset
        (ZH_TRADITIONAL, "big5", "big5hkscs"),
        (ZH_SIMPLIFIED, "utf-8", "utf-8"),
        (EN, "utf-8", "utf-8"),
    ],
)
def test_legacy_and_utf8_encodings_decode_to_the_original_text(name, encoding, expected):
    original = read_release(name)
    text, used = decode_bytes(original.encode(encoding))
    assert text == original
    assert used == expected


@pytest.mark.parametrize("bom, codec, expected", [
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
])
def test_byte_order_marks_are_honoured_and_stripped(bom, codec, expected):
    original = read_release(ZH_TRADITIONAL)
    doc = document_from_bytes(bom + original.encode(codec), source="x.txt")
    assert doc.text == original
    assert doc.encoding == expected
    assert not doc.text.startswith("\ufeff")


def test_crlf_line_endings_become_newlines():
    doc = document_from_bytes(read_release(EN).replace("\n", "\r\n").encode(), source="x")
    assert "\r" not in doc.text
    assert doc.text == read_release(EN)


def _release_as_html(text: str, charset: str = "utf-8") -> str:
    title, *paras = [p for p in text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{p}</p>\n" for p in paras)
    return (f"<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{title} - Ministry site</title>"
            "<script>var tracking = 'SCRIPT TEXT';</script><style>p {color: red}</style></head><body>"
            "<nav><ul><li>Home</li><li>NAVIGATION TEXT</li></ul></nav>"
            f"<div class=\"article\"><h1>{title}</h1>\n{body}</div>"
            "<footer><p>Copyright FOOTER TEXT</p></footer></body></html>")


@pytest.mark.parametrize("name, charset", [(EN, "utf-8"), (ZH_SIMPLIFIED, "gb2312"), (ZH_TRADITIONAL, "big5")])
def test_saved_html_page_is_reduced_to_title_and_paragraphs(name, charset):
    original = read_release(name)
    page = _release_as_html(original, charset)
    doc = document_from_bytes(page.encode("gb18030" if charset == "gb2312" else charset), source="page.html")
    assert doc.html
    paragraphs = [p for p in doc.text.split("\n\n")]
    expected = [p.strip() for p in original.split("\n\n") if p.strip()]
    assert paragraphs == expected
    for chrome in ("SCRIPT TEXT", "NAVIGATION TEXT", "FOOTER TEXT", "color: red"):
        assert chrome not in doc.text


def test_html_without_paragraph_markup_falls_back_to_lines():
    text = html_to_text("<html><body><div>商务部召开会议</div><div>会议强调，要扩大消费。</div></body></html>")
    assert text.split("\n\n") == ["商务部召开会议", "会议强调，要扩大消费。"]


@pytest.mark.parametrize("data, message", [
    (b"", "empty input"),
    (b"  \n\t\n \xe3\x80\x80\n", "empty input"),  # spaces, tabs, an ideographic space
    (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00" * 40, "binary data"),
    (bytes(range(1, 32)) * 20, "binary data"),
])
def test_bad_bytes_are_input_errors_naming_the_input(data, message):
    with pytest.raises(InputError) as info:
        document_from_bytes(data, source="bad.txt")
    assert message in str(info.value)
    assert str(info.value).startswith("bad.txt: ")


def test_missing_path_and_directory_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_path(tmp_path)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_unreadable_path_is_an_input_error():
    # /proc/self/mem opens but cannot be read from offset 0: an OSError that is not 'missing'.
    with pytest.raises(InputError, match="cannot read|permission denied"):
        read_path("/proc/self/mem")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied_is_an_input_error(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text("text")
    p.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        read_path(p)


def test_iter_documents_reports_each_bad_input_and_keeps_going(tmp_path):
    good = DATA / EN
    out = list(iter_documents([str(tmp_path / "missing.txt"), str(good)], stdin=None))
    assert isinstance(out[0], InputError)
    assert out[1].text == read_release(EN)


def test_no_paths_and_a_terminal_on_stdin_is_a_usage_error():
    class Tty:
        def isatty(self):
            return True

    with pytest.raises(UsageError, match="no input"):
        list(iter_documents([], stdin=Tty()))


def test_write_atomic_replaces_whole_file_and_leaves_no_temporaries(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    write_atomic(target, "first")
    write_atomic(target, "second 第二")
    assert target.read_text(encoding="utf-8") == "second 第二"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_write_atomic_failure_keeps_the_old_content(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")

    class Boom:
        def __str__(self):
            raise RuntimeError("boom")

    with pytest.raises(TypeError):
        write_atomic(target, Boom())  # the write itself fails midway
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
