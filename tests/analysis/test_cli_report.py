"""``python -m analysis report``: a complete HTML file, or one line on stderr and exit 2."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser

import pytest

from analysis.report import SECTIONS

pytestmark = pytest.mark.subprocess  # every test here runs the command line in a child process


def run(root, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


class Sections(HTMLParser):
    """Section ids, and the text of each, of an HTML report."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.text: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self._open.append(dict(attrs).get("id", ""))
            self.ids.append(self._open[-1])

    def handle_endtag(self, tag):
        if tag == "section":
            self._open.pop()

    def handle_data(self, data):
        for section_id in self._open:
            self.text[section_id] = self.text.get(section_id, "") + data


def sections(document: str) -> Sections:
    parser = Sections()
    parser.feed(document)
    parser.close()
    return parser


def test_help_documents_report_and_the_labels_default(root):
    top = run(root, "--help")
    assert top.returncode == 0
    assert "report" in top.stdout and "tag" in top.stdout
    done = run(root, "report", "--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    for fragment in ["IN.csv", "-o REPORT.html", "--codebook", "--labels LABELS.csv"]:
        assert fragment in text
    assert "bundled data/labels.csv when IN.csv is the bundled data/posts.csv" in text


def test_report_on_the_bundled_posts_uses_the_bundled_labels(root, tmp_path):
    output = tmp_path / "report.html"
    done = run(root, "report", "data/posts.csv", "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
    document = output.read_text(encoding="utf-8")
    assert document.startswith("<!DOCTYPE html>") and document.rstrip().endswith("</html>")
    found = sections(document)
    assert found.ids == [section_id for section_id, _ in SECTIONS]
    quality = " ".join(found.text["quality"].split())
    assert "hand-coding of 18 posts" in quality and "Precision" in quality
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temp left


def test_report_on_other_posts_has_no_quality_section_unless_labels_are_given(root, tmp_path):
    posts = tmp_path / "posts.csv"
    posts.write_text(
        "id,title,summary\na,Apprentices wanted,Local jobs\nb,Nothing here,A walk\n",
        encoding="utf-8",
    )
    output = tmp_path / "report.html"
    done = run(root, "report", str(posts), "-o", str(output))
    assert done.returncode == 0, done.stderr
    quality = " ".join(sections(output.read_text(encoding="utf-8")).text["quality"].split())
    assert "No labels were supplied" in quality

    labels = tmp_path / "labels.csv"
    labels.write_text(
        "id,workforce,living_wage,racial_equity,health_justice\na,1,0,0,0\nb,0,0,0,0\n",
        encoding="utf-8",
    )
    done = run(root, "report", str(posts), "-o", str(output), "--labels", str(labels))
    assert done.returncode == 0, done.stderr
    quality = " ".join(sections(output.read_text(encoding="utf-8")).text["quality"].split())
    assert "hand-coding of 2 posts" in quality


def test_report_to_standard_output(root):
    done = run(root, "report", "data/posts.csv", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert sections(done.stdout).ids == [section_id for section_id, _ in SECTIONS]


@pytest.mark.parametrize(
    ("args", "fragment", "named"),
    [
        (["{bad}"], "has no title column", "{bad}"),
        (["{missing}"], "cannot be read", "{missing}"),
        (["data/posts.csv", "--labels", "{bad_labels}"], "is not 0 or 1", "{bad_labels}"),
        (["data/posts.csv", "--codebook", "{bad}"], "not valid TOML", "bad.csv"),
    ],
    ids=["no title column", "missing file", "bad labels", "bad codebook"],
)
def test_bad_input_is_one_line_on_stderr_exit_2_and_the_old_report_stays(
    root, tmp_path, args, fragment, named
):
    paths = {
        "bad": tmp_path / "bad.csv",
        "missing": tmp_path / "missing.csv",
        "bad_labels": tmp_path / "labels.csv",
    }
    paths["bad"].write_text("Caption,Summary\n[A,b\n", encoding="utf-8")
    paths["bad_labels"].write_text(
        "id,workforce,living_wage,racial_equity,health_justice\nx,yes,0,0,0\n", encoding="utf-8"
    )
    output = tmp_path / "report.html"
    output.write_text("previous report\n", encoding="utf-8")
    argv = [arg.format(**{k: str(v) for k, v in paths.items()}) for arg in args]

    done = run(root, "report", *argv, "-o", str(output))

    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("python -m analysis: error: ")
    assert fragment in lines[0]
    assert named.format(**{k: str(v) for k, v in paths.items()}) in lines[0]
    assert output.read_text(encoding="utf-8") == "previous report\n"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_an_unwritable_output_is_one_line_and_exit_2(root, tmp_path):
    done = run(root, "report", "data/posts.csv", "-o", str(tmp_path / "no-such-dir" / "r.html"))
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "cannot write here" in lines[0]
