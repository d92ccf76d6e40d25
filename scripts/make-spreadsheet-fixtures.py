#!/usr/bin/env python3
"""Writes the spreadsheet fixtures of tests/spreadsheets.rs.

Every file holds the figures of the example's
content/data/figures/provinces-illustrative.yaml, each in another way a
spreadsheet user might keep them:

  tests/fixtures/figures/provinces.csv            commas, plain numbers
  tests/fixtures/figures/provinces-semicolon.csv  semicolons, `# decimal: comma`, 1.234.567 numbers
  tests/fixtures/figures/provinces.xlsx           Excel: a sheet per year, number cells, date cells,
                                                  a comment row, a `_notes` sheet rekap skips
  tests/fixtures/figures/provinces.ods            LibreOffice: one sheet, `# decimal: comma` in its
                                                  first row, some amounts and dates typed as text

The test builds the example with each of them in place of the YAML file and
requires the same public/data/figures.csv.

It also writes the broken workbooks of tests/bad_input.rs, in
tests/fixtures/figures/bad/: each mistake at a known sheet and cell.

Needs PyYAML, openpyxl and odfpy:

    pip install pyyaml openpyxl odfpy
    python3 scripts/make-spreadsheet-fixtures.py
"""

import csv
import datetime
import io
import os
import re
import zipfile

import yaml
from openpyxl import Workbook
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "content/data/figures/provinces-illustrative.yaml")
OUT = os.path.join(ROOT, "tests/fixtures/figures")
COLUMNS = ["entity", "metric", "period", "target", "actual", "as_of", "source"]
FIXED = datetime.datetime(2017, 7, 1, 0, 0, 0)


def records():
    with open(SOURCE, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    out = []
    for r in data["figures"]:
        as_of = r.get("as_of")
        out.append(
            {
                "entity": r["entity"],
                "metric": r["metric"],
                "period": r["period"],
                "target": r.get("target"),
                "actual": r.get("actual"),
                "as_of": as_of,
                "source": r.get("source", data["source"]),
            }
        )
    return out


def dotted(n):
    """1234567 as 1.234.567, the way a spreadsheet set to Indonesian writes it."""
    return f"{n:,}".replace(",", ".")


def write_csv(rows, name, delimiter, fmt, preamble=""):
    buf = io.StringIO()
    buf.write(preamble)
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow(
            [
                r["entity"],
                r["metric"],
                r["period"],
                "" if r["target"] is None else fmt(r["target"]),
                "" if r["actual"] is None else fmt(r["actual"]),
                "" if r["as_of"] is None else r["as_of"].isoformat(),
                r["source"],
            ]
        )
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def write_xlsx(rows):
    wb = Workbook()
    wb.remove(wb.active)
    for year in sorted({r["period"] for r in rows}):
        ws = wb.create_sheet(str(year))
        ws.append([f"# Illustrative figures for {year}, from provinces-illustrative.yaml"])
        ws.append(COLUMNS)
        for r in rows:
            if r["period"] != year:
                continue
            ws.append(
                [
                    r["entity"],
                    r["metric"],
                    r["period"],
                    r["target"],
                    r["actual"],
                    r["as_of"],
                    r["source"],
                ]
            )
            if r["as_of"] is not None:
                ws.cell(row=ws.max_row, column=6).number_format = "yyyy-mm-dd"
    notes = wb.create_sheet("_notes")
    notes.append(["Sheets whose name starts with _ are not read by rekap."])
    notes.append(["entity", "anything", "here"])
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    path = os.path.join(OUT, "provinces.xlsx")
    wb.save(path)
    normalise_zip(path)


def ods_cell(value=None, text=None, date=None):
    if date is not None:
        c = TableCell(valuetype="date", datevalue=date.isoformat())
        c.addElement(P(text=date.isoformat()))
    elif value is not None:
        c = TableCell(valuetype="float", value=str(value))
        c.addElement(P(text=str(value)))
    elif text is not None:
        c = TableCell(valuetype="string")
        c.addElement(P(text=text))
    else:
        c = TableCell()
    return c


def write_ods(rows):
    doc = OpenDocumentSpreadsheet()
    sheet = Table(name="figures")
    first = TableRow()
    first.addElement(ods_cell(text="# decimal: comma"))
    sheet.addElement(first)
    header = TableRow()
    for c in COLUMNS:
        header.addElement(ods_cell(text=c))
    sheet.addElement(header)
    for i, r in enumerate(rows):
        row = TableRow()
        row.addElement(ods_cell(text=r["entity"]))
        row.addElement(ods_cell(text=r["metric"]))
        row.addElement(ods_cell(value=r["period"]))
        # Every other row keeps its amounts as text, the way they arrive when
        # pasted from a report: `1.234.567`, read with the declared comma.
        as_text = i % 2 == 1
        for key in ("target", "actual"):
            v = r[key]
            if v is None:
                row.addElement(ods_cell())
            elif as_text:
                row.addElement(ods_cell(text=dotted(v)))
            else:
                row.addElement(ods_cell(value=v))
        if r["as_of"] is None:
            row.addElement(ods_cell())
        elif as_text:
            row.addElement(ods_cell(text=r["as_of"].isoformat()))
        else:
            row.addElement(ods_cell(date=r["as_of"]))
        row.addElement(ods_cell(text=r["source"]))
        sheet.addElement(row)
    doc.spreadsheet.addElement(sheet)
    path = os.path.join(OUT, "provinces.ods")
    doc.save(path)
    normalise_zip(path)


def normalise_zip(path):
    """Rewrites the archive with fixed timestamps, so that running the script
    again gives the same bytes when nothing changed."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in items:
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the time of saving; keep the fixed one.
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*",
                    rb"\g<1>2017-07-01T00:00:00Z",
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(2017, 7, 1, 0, 0, 0))
            fixed.compress_type = (
                zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            )
            fixed.external_attr = 0o644 << 16
            z.writestr(fixed, data)


def write_bad():
    """Workbooks with one mistake a row, for tests/bad_input.rs."""
    bad = os.path.join(OUT, "bad")
    os.makedirs(bad, exist_ok=True)
    source = "Ilustratif"

    # cells.xlsx, sheet `2018` (after an empty `Sheet1` and a `_notes` sheet):
    # the header in row 2, a good row 3, then one bad cell a row.
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.create_sheet("_notes").append(["entity", "not", "read"])
    ws = wb.create_sheet("2018")
    ws.append(["# Target 2018"])
    ws.append(["entity", "metric", "period", "target", "target_growth", "actual", "as_of", "source"])
    ws.append(["gorontalo", "contributions", 2018, 70000000000, None, None, None, source])  # 3: good
    ws.append(["maluku", "contributions", 2018, None, None, "abc", None, source])  # 4: F4 text
    ws.append(["maluku-utara", "contributions", datetime.date(2018, 1, 1), 1, None, None, None, source])  # 5: C5 date
    ws.append(["sulawesi-barat", "contributions", 2018, None, 15, None, None, source])  # 6: E6 15
    ws.append(["sulawesi-tengah", "contributions", 2018, 5, None, None, None, source, "stray"])  # 7: I7
    ws.append(["sulawesi-tenggara", "contributions", 2018, None, None, "#DIV/0!", None, source])  # 8: F8 error
    ws.append(["sulawesi-selatan", "contributions", 2018, 1, None, 1, 2018, source])  # 9: G9 number
    ws["C5"].number_format = "yyyy-mm-dd"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    path = os.path.join(bad, "cells.xlsx")
    wb.save(path)
    normalise_zip(path)

    # columns.ods: sheet `a` has a misspelt column; sheet `b`, dot-grouped
    # text without a declaration; sheet `c` declares an unknown mark.
    doc = OpenDocumentSpreadsheet()
    for name, rows in [
        ("a", [["entity", "metric", "period", "actaul", "source"],
               ["gorontalo", "contributions", 2018, 1, source]]),
        ("b", [["entity", "metric", "period", "actual", "source"],
               ["gorontalo", "new-participants", 2018, "28.212", source]]),
        ("c", [["# decimal: koma"],
               ["entity", "metric", "period", "actual", "source"]]),
    ]:
        t = Table(name=name)
        for r in rows:
            tr = TableRow()
            for v in r:
                tr.addElement(ods_cell(value=v) if isinstance(v, int) else ods_cell(text=v))
            t.addElement(tr)
        doc.spreadsheet.addElement(t)
    path = os.path.join(bad, "columns.ods")
    doc.save(path)
    normalise_zip(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = records()
    write_csv(rows, "provinces.csv", ",", str)
    write_csv(
        rows,
        "provinces-semicolon.csv",
        ";",
        dotted,
        preamble="# decimal: comma\n# Saved by a spreadsheet set to Indonesian\n",
    )
    write_xlsx(rows)
    write_ods(rows)
    write_bad()
    print(f"wrote {len(rows)} records into each file in {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
