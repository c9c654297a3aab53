"""Read the thesis' tab-separated figure tables straight from the seed, so tests compare against the source."""

from pathlib import Path

from django.conf import settings

THESIS = "000_cc74d48a6bb02853.txt"


def figure_rows(number: int) -> list[list[str]]:
    """The rows (header first) of the thesis' Figure `number`: the tab-separated lines after its caption."""
    lines = Path(settings.SEEDS_DIR, THESIS).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"Figure {number}:"))
    rows = []
    for line in lines[start + 1 :]:
        if "\t" in line:
            rows.append([cell.strip() for cell in line.split("\t")])
        elif rows and line.strip():
            break
    return rows


def without_policy_suffix(name: str) -> str:
    # The thesis labels rows "Security Policy"; the codelist names the area "Security".
    return name.removesuffix(" Policy")
