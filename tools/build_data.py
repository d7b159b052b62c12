"""Rebuild the bundled CSVs in data/ from the seed text, applying and logging every repair."""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from scoring.config import COLUMNS

SEED_NAME = "004_b62e7c695432352f.txt"
NUMBER_COLUMNS = list(COLUMNS)

# Repairs to the damaged end of the department table, decided by reading the names: the extraction
# shifted the department column against the MDO column and merged some cells. Keyed by the MDO cell
# exactly as extracted; value: (MDO name to keep, department it belongs to, reason).
MDO_REPAIRS: dict[str, tuple[str, str, str]] = {
    "Bihar Industrial Area Development Authority (BIADA) District Buxar, Bihar": (
        "Bihar Industrial Area Development Authority (BIADA)",
        "Industry Department Bihar",
        "MDO cell merged two names with one set of figures; the figures are kept for BIADA "
        "(first name; its department cell reads 'Industry Department Bihar'). 'District Buxar, "
        "Bihar' has no figures of its own in the extraction, so it is counted in the unlisted "
        "remainder.",
    ),
    "Directorate of Handloom and Sericulture Bihar State Beverages Corporation Limited": (
        "Directorate of Handloom and Sericulture",
        "Industry Department Bihar",
        "MDO cell merged two names with one set of figures; the figures are kept for the "
        "Directorate of Handloom and Sericulture (Industry). 'Bihar State Beverages Corporation "
        "Limited' (Excise and Prohibition) has no figures of its own, so it is counted in the "
        "unlisted remainder.",
    ),
    "Bihar Agricultural University Sabour": (
        "Bihar Agricultural University Sabour",
        "Agriculture Department Bihar",
        "Department cell also carried 'District Arwal, Bihar' from the next row; removed.",
    ),
    "District Arwal, Bihar": (
        "District Arwal, Bihar",
        "District Arwal, Bihar",
        "A district MDO is district administration (as 'District Munger, Bihar' upstream); "
        "the extracted department 'Industry Department Bihar' belonged to the Handloom row.",
    ),
    "Bihar State Financial Corporation (BSFC) Patna": (
        "Bihar State Financial Corporation (BSFC) Patna",
        "Industry Department Bihar",
        "Department column shifted: BSFC is under the Industries Department (the shifted "
        "department cells run Industry, Energy, District Vaishali, Law...).",
    ),
    "South Bihar Power Distribution Company Limited": (
        "South Bihar Power Distribution Company Limited",
        "Energy Department Bihar",
        "Power distribution companies belong to the Energy Department; extracted as Law.",
    ),
    "District Vaishali, Bihar": (
        "District Vaishali, Bihar",
        "District Vaishali, Bihar",
        "District MDO is district administration; extracted as Agriculture.",
    ),
    "Patna High Court Legal Services Committee": (
        "Patna High Court Legal Services Committee",
        "Law Department Bihar",
        "Legal services committee belongs to the Law Department; extracted as Cabinet "
        "Secretariat + District Katihar (shifted).",
    ),
    "Bihar Agricultural Management and Extension Training Institute (BAMETI)": (
        "Bihar Agricultural Management and Extension Training Institute (BAMETI)",
        "Agriculture Department Bihar",
        "BAMETI is the Agriculture Department's training institute; extracted as Health.",
    ),
    "Cabinet Secretariat Department District Katihar, Bihar": (
        "Cabinet Secretariat Department",
        "Cabinet Secretariat Department, Bihar",
        "MDO cell merged 'Cabinet Secretariat Department' with 'District Katihar, Bihar', which "
        "has its own row next; the figures belong to the Cabinet Secretariat. Department "
        "spelled as in the rest of the table.",
    ),
    "District Katihar, Bihar": (
        "District Katihar, Bihar",
        "District Katihar, Bihar",
        "District MDO is district administration; extracted as District Purnea (shifted).",
    ),
    "DISTRICT HEALTH SOCIETY ARWAL": (
        "DISTRICT HEALTH SOCIETY ARWAL",
        "Health and Family Welfare Department Bihar",
        "A district health society belongs to Health and Family Welfare; extracted as Energy.",
    ),
    "Parliamentary Affairs Department Bihar": (
        "Parliamentary Affairs Department Bihar",
        "Parliamentary Affairs Department Bihar",
        "The department is its own MDO; extracted as 'Bihar Information Commission District "
        "Banka, Bihar' (merged, shifted).",
    ),
    "District Purnea, Bihar": (
        "District Purnea, Bihar",
        "District Purnea, Bihar",
        "District MDO is district administration; extracted as District Samastipur (shifted).",
    ),
    "North Bihar Power Distribution Company Limited": (
        "North Bihar Power Distribution Company Limited",
        "Energy Department Bihar",
        "Power distribution companies belong to the Energy Department; extracted as SC and ST.",
    ),
    "Bihar Information Commission": (
        "Bihar Information Commission",
        "Bihar Information Commission",
        "An independent commission, its own department (as 'Bihar State Selection Commission' "
        "upstream); extracted as Minority Welfare.",
    ),
    "District Banka, Bihar": (
        "District Banka, Bihar",
        "District Banka, Bihar",
        "District MDO is district administration; extracted as Youth Art and Culture.",
    ),
    "District Samastipur, Bihar": (
        "District Samastipur, Bihar",
        "District Samastipur, Bihar",
        "District MDO is district administration; extracted as Energy.",
    ),
    "bihar mahadalit vikas mission": (
        "bihar mahadalit vikas mission",
        "SC and ST Welfare Department Bihar",
        "The Mahadalit Vikas Mission works under SC and ST Welfare; extracted as Minority.",
    ),
    "Minorities Welfare Department": (
        "Minorities Welfare Department",
        "Minority Welfare Department Bihar",
        "Belongs to the Minority Welfare Department; extracted as Youth Art and Culture.",
    ),
    "Art Culture and Youth Department": (
        "Art Culture and Youth Department",
        "Youth Art and Culture Department Bihar",
        "Belongs to Youth Art and Culture; extracted as Energy.",
    ),
    "Bihar State Power Holding Company Limited (BSPHCL) Patna": (
        "Bihar State Power Holding Company Limited (BSPHCL) Patna",
        "Energy Department Bihar",
        "Department cell was empty; the power holding company belongs to the Energy Department.",
    ),
}

# Rows with no department cell outside the damaged block.
EMPTY_DEPARTMENT: dict[str, str] = {
    "Animal and Fisheries Resource Department": "Animal and Fish Resources Department Bihar",
}


@dataclass(frozen=True)
class Repair:
    source_line: int
    mdo: str
    field: str
    extracted: str
    repaired: str
    reason: str


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].rstrip("-")


def parse_numbers(cells: list[str], line_no: int, mdo: str, repairs: list[Repair]) -> list[str]:
    """Return the eight figures of a row, repairing rows that carry extra columns."""
    values = [c.strip() for c in cells if c.strip() != ""]
    percent = values.pop() if values and values[-1].endswith("%") else None
    if len(values) == len(NUMBER_COLUMNS):
        return values
    head, tail = values[:6], values[6:]
    if all(float(v) == 0 for v in values[1:]):
        repairs.append(
            Repair(
                line_no,
                mdo,
                "figures",
                " ".join(values),
                " ".join([*head, "0", "0"]),
                f"{len(values)} figures for 8 columns, all but onboarded zero; kept 8.",
            )
        )
        return [*head, "0", "0"]
    # Extra column after the hours: keep the ordered (attempted, passed) pair whose ratio is
    # the printed "% Course Passed".
    target = float(percent.rstrip("%")) if percent else None
    for i in range(len(tail)):
        for j in range(i + 1, len(tail)):
            attempted, passed = float(tail[i]), float(tail[j])
            if (
                attempted > 0
                and target is not None
                and abs(passed / attempted * 100 - target) < 0.01
            ):
                kept = [*head, tail[i], tail[j]]
                repairs.append(
                    Repair(
                        line_no,
                        mdo,
                        "attempted,passed",
                        " ".join(tail),
                        f"{tail[i]},{tail[j]}",
                        f"{len(values)} figures for 8 columns; kept the pair matching the "
                        f"printed {percent} passed.",
                    )
                )
                return kept
    raise ValueError(f"line {line_no}: cannot repair figures {values}")


def build(seed_dir: Path, out_dir: Path) -> None:
    text = (seed_dir / SEED_NAME).read_text(encoding="utf-8")
    lines = text.split("\n")
    write_ranking(lines, out_dir)
    write_courses(lines, out_dir)
    write_departments(lines, out_dir)


def write_ranking(lines: list[str], out_dir: Path) -> None:
    rows = []
    for line in lines:
        m = re.fullmatch(r"([A-Z][A-Z &]+?)\t([ABC])\t(\d+(?:\.\d+)?)\t(\d+)", line.strip())
        if m:
            rows.append(m.groups())
    if len(rows) != 36:
        raise ValueError(f"expected 36 ranking rows, found {len(rows)}")
    with open(out_dir / "ranking_2025-12-31.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["state", "category", "score", "rank"])
        writer.writerows(rows)


def parse_minutes(text: str) -> int:
    hours = re.search(r"(\d+)\s*h", text)
    minutes = re.search(r"(\d+)\s*min", text)
    return (int(hours.group(1)) * 60 if hours else 0) + (int(minutes.group(1)) if minutes else 0)


def write_courses(lines: list[str], out_dir: Path) -> None:
    bands = {"16 Years and above", "9 - 16 Years", "0 - 9 Years", "MTS & equivalent"}
    topic, band, rows = "", "", []
    for line in lines:
        if line.startswith("Recommended Artificial Intelligence"):
            topic = "AI"
        elif line.startswith("Recommended Cybersecurity"):
            topic = "Cybersecurity"
        elif line.startswith("Artificial Intelligence (AI)\t"):
            break
        if not topic:
            continue
        cells = line.split("\t")
        if len(cells) != 5 or not cells[1].strip().isdigit():
            continue
        if cells[0].strip():
            band = cells[0].strip()
            # The extraction scrambled one label; it is the MTS band of the AI table.
            band = "MTS & equivalent" if band.startswith("MTS") else band
            if band not in bands:
                raise ValueError(f"unknown band {band!r}")
        rows.append(
            [
                topic,
                band,
                cells[1].strip(),
                cells[2].strip(),
                cells[3].strip(),
                parse_minutes(cells[4]),
            ]
        )
    with open(out_dir / "recommended_courses.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["topic", "band", "number", "course", "provider", "minutes"])
        writer.writerows(rows)


def write_departments(lines: list[str], out_dir: Path) -> None:
    start = next(i for i, line in enumerate(lines) if line.startswith("Department\tMido Name"))
    end = next(i for i, line in enumerate(lines) if line.startswith("\t\t1389815"))
    repairs: list[Repair] = []
    rows: list[list[str]] = []
    damaged = False
    for offset, line in enumerate(lines[start + 1 : end]):
        line_no = start + 2 + offset
        cells = line.split("\t")
        if len(cells) < 10:
            continue  # page furniture such as "72 89"
        department, mdo = cells[0].strip(), cells[1].strip()
        figures = parse_numbers(cells[2:], line_no, mdo, repairs)
        if mdo == "Bihar Industrial Area Development Authority (BIADA) District Buxar, Bihar":
            damaged = True  # from here to the end the department column is unreliable
        if damaged and mdo in MDO_REPAIRS:
            new_mdo, new_department, reason = MDO_REPAIRS[mdo]
            if new_mdo != mdo:
                repairs.append(Repair(line_no, new_mdo, "mdo", mdo, new_mdo, reason))
            if new_department != department:
                repairs.append(
                    Repair(line_no, new_mdo, "department", department, new_department, reason)
                )
            department, mdo = new_department, new_mdo
        elif not department:
            new_department = EMPTY_DEPARTMENT[mdo]
            repairs.append(
                Repair(
                    line_no,
                    mdo,
                    "department",
                    "",
                    new_department,
                    "Department cell empty; the MDO name names the department.",
                )
            )
            department = new_department
        rows.append([department, mdo, *figures])

    seen: dict[str, int] = {}
    with open(
        out_dir / "bihar_departments_2025-12-31.csv", "w", newline="", encoding="utf-8"
    ) as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "department", "mdo", *NUMBER_COLUMNS])
        for department, mdo, *figures in rows:
            base = slugify(mdo)
            seen[base] = seen.get(base, 0) + 1
            mdo_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
            writer.writerow([mdo_id, department, mdo, *figures])

    total_cells = [c for c in lines[end].split("\t") if c.strip()]
    with open(
        out_dir / "bihar_published_totals_2025-12-31.csv", "w", newline="", encoding="utf-8"
    ) as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(NUMBER_COLUMNS)
        writer.writerow(total_cells[:8])

    with open(out_dir / "department_repairs.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["source_line", "mdo", "field", "extracted", "repaired", "reason"])
        for r in repairs:
            writer.writerow([r.source_line, r.mdo, r.field, r.extracted, r.repaired, r.reason])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--seeds", type=Path, default=Path(__file__).parents[2] / "shared" / "seeds"
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "data")
    args = parser.parse_args(argv)
    build(args.seeds, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
