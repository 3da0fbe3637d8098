"""The README stays a newcomer's page and the documentation it points to is all there."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LINK = re.compile(r"\]\(([^)#\s]+)")


def relative_links(page: Path) -> list[str]:
    return [target for target in LINK.findall(page.read_text(encoding="utf-8")) if "://" not in target]


def test_every_link_of_the_readme_and_the_docs_opens_a_file_of_the_repository():
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

    broken = [
        f"{page.relative_to(ROOT)} → {target}"
        for page in pages
        for target in relative_links(page)
        if not (page.parent / target).exists()
    ]
    assert broken == []


def test_the_readme_links_every_page_of_the_docs():
    linked = {(ROOT / target).resolve() for target in relative_links(ROOT / "README.md")}

    assert [page.name for page in sorted(DOCS.glob("*.md")) if page.resolve() not in linked] == []


def test_the_readme_opens_with_the_two_commands():
    first_lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:6]

    assert any(line.startswith("bin/demo ") for line in first_lines)
    assert any(line.startswith("bin/test ") for line in first_lines)
