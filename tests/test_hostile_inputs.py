"""A generated corpus of malformed and hostile inputs: each is refused in one line, naming
the file (and row and field where there is one) and what to do, and nothing is stored.

A representative share of the cases runs through the real CLI (`invoke pull --from-dir`
in a subprocess); the rest call `import_dir`, which the CLI wraps, to keep the module fast.
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from crafted import (
    Stock,
    cm_bhav_bytes,
    config_for,
    constituents_bytes,
    index_bytes,
    udiff_bytes,
    write_folder,
    zip_bytes,
)
from site_project import REPO

from generator.errors import GeneratorError
from generator.importer import import_dir
from generator.sources import bounded, text
from generator.store import Store

DAY = date(2025, 1, 2)
RUN = datetime(2025, 1, 3, 19, 0, tzinfo=UTC)
STOCKS = [Stock("INE000A01011", "AAA", "A Ltd", 10.0, 11.0),
          Stock("INE000B01011", "BBB", "Bee, Ltd", 20.0, 19.5)]
UDIFF = "BhavCopy_NSE_CM_0_0_0_20250102_F_0000.csv"
BSE_UDIFF = "BhavCopy_BSE_CM_0_0_0_20250102_F_0000.CSV"
INDEX = "ind_close_all_02012025.csv"
LIST = "ind_nifty50list.csv"
CM_DAY = date(2024, 7, 4)
CM = "cm04JUL2024bhav.csv"
FULL = "sec_bhavdata_full_02012025.csv"
BSE_INDEX = "bse_index_SENSEX_02012025.csv"
BSE_LEGACY = "EQ020125.CSV"
RATINGS = "ratings_20250102.csv"
MEMORY_LIMIT_KB = 400 * 1024


def _udiff() -> bytes:
    return udiff_bytes(DAY, STOCKS)


def _index() -> bytes:
    return index_bytes(DAY, [("Nifty 50", 10.0, 9.0), ("Nifty50 Dividend Points", 5.0, 5.0)])


def _full() -> bytes:
    return (" SYMBOL, SERIES, DATE1, PREV_CLOSE, OPEN_PRICE, HIGH_PRICE, LOW_PRICE, "
            "LAST_PRICE, CLOSE_PRICE, AVG_PRICE, TTL_TRD_QNTY, TURNOVER_LACS, NO_OF_TRADES, "
            "DELIV_QTY, DELIV_PER\nAAA, EQ, 02-Jan-2025, 10.00, 10.00, 11.00, 10.00, 11.00, "
            "11.00, 10.50, 100, 0.01, 5, 50, 50.00\n").lstrip().encode()


def _bse_index() -> bytes:
    return b"Date,Open,High,Low,Close\n2-January-2025,100.00,110.00,95.00,105.00,\n"


def _bse_legacy() -> bytes:
    return (b"SC_CODE,SC_NAME,SC_GROUP,SC_TYPE,OPEN,HIGH,LOW,CLOSE,LAST,PREVCLOSE,NO_TRADES,"
            b"NO_OF_SHRS,NET_TURNOV,TDCLOINDI\n500002,ABB LTD.    ,A ,Q,10.00,11.00,9.50,10.50,"
            b"10.50,10.00,5,100,1050.00,\n")


def _ratings() -> bytes:
    return b"date,isin,rating,provider\n2025-01-02,INE000A01011,Buy,Some Research\n"




def _sub(data: bytes, old: str, new: str) -> bytes:
    assert old.encode() in data, old
    return data.replace(old.encode(), new.encode(), 1)


def _udiff_row(**changes: str) -> bytes:
    """Return the UDiFF file with fields of its first data row changed by column name."""
    lines = _udiff().decode().split("\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    for name, value in changes.items():
        cells[header.index(name)] = value
    lines[1] = ",".join(cells)
    return "\n".join(lines).encode()


def _encrypted_zip() -> bytes:
    """Return a zip whose member is marked encrypted (zipfile cannot write one)."""
    data = bytearray(zip_bytes({UDIFF: _udiff()}))
    data[6] |= 0x1  # the local header's flags
    data[data.index(b"PK\x01\x02") + 8] |= 0x1  # the central directory's
    return bytes(data)


def _lying_zip() -> bytes:
    """Return a zip whose directory declares a member far smaller than it unpacks to."""
    data = bytearray(zip_bytes({UDIFF: _udiff() * 50}))
    real = len(_udiff() * 50).to_bytes(4, "little")
    for at in [m.start() for m in re.finditer(re.escape(real), bytes(data))]:
        data[at:at + 4] = (100).to_bytes(4, "little")
    return bytes(data)


def _corrupt_member() -> bytes:
    data = bytearray(zip_bytes({UDIFF: _udiff() * 20}))
    middle = len(data) // 3
    data[middle:middle + 40] = bytes(40)
    return bytes(data)


def _too_many_lines() -> bytes:
    return _udiff() + b"\n" * (text.MAX_ROWS + 5)


@dataclasses.dataclass(frozen=True)
class Case:
    """One hostile input: its class, the files it puts in the folder, what the error says."""

    klass: str
    files: dict[str, bytes]
    bad: str  # the file the error must name
    says: str  # a fragment of the one-line error
    where: str = ""  # "row N, field 'X'" when there is one
    cli: bool = False


def _cases() -> dict[str, Case]:
    u = _udiff()
    c: dict[str, Case] = {}

    def add(name: str, klass: str, bad: str, data: bytes, says: str, where: str = "",
            cli: bool = False, extra: dict[str, bytes] | None = None) -> None:
        c[name] = Case(klass, {**(extra or {}), bad: data}, bad, says, where, cli)

    # CSV structure
    big_tail = "\n".join(f"2025-01-02,x{n}" for n in range(20_000))
    add("unbalanced-quote-huge", "csv structure", UDIFF,
        u + b'2025-01-02,"unclosed\n' + big_tail.encode(), "a quote is never closed",
        "row 4", cli=True)
    add("unbalanced-quote-small", "csv structure", UDIFF, _sub(u, "A LTD", '"A LTD'),
        "a quote opened in this row is never closed", "row 2")
    add("header-only-no-newline", "csv structure", UDIFF, u.split(b"\n")[0],
        "header but no data rows", "row 2", cli=True)
    add("header-only-index", "csv structure", INDEX, _index().split(b"\n")[0] + b"\n",
        "header but no data rows", "row 2")
    add("empty-file", "csv structure", UDIFF, b"", "the file is empty")
    add("whitespace-only", "csv structure", INDEX, b"  \n\n \r\n", "the file is empty")
    add("extra-field-in-row", "csv structure", UDIFF, _sub(u, ",F1,1,", ",F1,1,X,"),
        "expected 34 fields, found 35", "row 2")
    add("missing-field-in-row", "csv structure", INDEX, _sub(_index(), ",1000,", ","),
        "expected 13 fields, found 12", "row 2")
    add("huge-single-line", "csv structure", UDIFF, u + b"A" * (text.MAX_LINE_CHARS + 10),
        "a line is longer than", "row 4")
    add("too-many-lines", "csv structure", UDIFF, _too_many_lines(),
        "more than 100,000 lines")
    add("html-page", "csv structure", UDIFF, b"<!DOCTYPE html><html><body>x</body></html>",
        "the file is an HTML page")
    # Layouts close to a known one
    add("udiff-renamed-column", "layout", UDIFF, _sub(u, "ClsPric", "ClosePrice"),
        "column 'ClsPric' is missing from the header of a UDiFF bhavcopy",
        "row 1, field 'ClsPric'", cli=True, extra={INDEX: _index()})
    add("udiff-missing-column", "layout", "renamed.csv", _sub(u, ",ClsPric", ""),
        "column 'ClsPric' is missing", "row 1, field 'ClsPric'")
    add("udiff-extra-column", "layout", "renamed.csv", _sub(u, ",Rsvd4", ",Rsvd4,Extra"),
        "unexpected column 'Extra'", "row 1, field 'Extra'")
    add("udiff-duplicated-column", "layout", UDIFF, _sub(u, "LastPric", "ClsPric"),
        "column 'ClsPric' appears twice", "row 1, field 'ClsPric'")
    add("udiff-name-garbage-header", "layout", UDIFF, b"a,b,c\n1,2,3\n",
        "column 'TradDt' is missing", "row 1, field 'TradDt'")
    add("constituents-without-isin", "layout", LIST,
        re.sub(rb",ISIN Code|,INE\w+", b"", constituents_bytes(STOCKS)),
        "column 'ISIN Code' is missing", "row 1, field 'ISIN Code'", cli=True)
    add("constituents-renamed-no-name", "layout", "mylist.csv",
        _sub(constituents_bytes(STOCKS), "ISIN Code", "ISIN"), "column 'ISIN Code'",
        "row 1, field 'ISIN Code'")
    add("index-missing-column", "layout", "closes.csv", _sub(_index(), ",P/E", ""),
        "column 'P/E' is missing", "row 1, field 'P/E'")
    add("full-bhavdata-missing-column", "layout", FULL, _sub(_full(), " DELIV_PER", " X"),
        "column 'DELIV_PER' is missing", "row 1, field 'DELIV_PER'")
    add("cm-bhav-missing-column", "layout", CM, _sub(cm_bhav_bytes(CM_DAY, STOCKS),
                                                     "TOTTRDVAL,", ""),
        "column 'TOTTRDVAL' is missing", "row 1, field 'TOTTRDVAL'")
    add("ratings-renamed-column", "layout", RATINGS, _sub(_ratings(), "provider", "source"),
        "column 'provider' is missing", "row 1, field 'provider'")
    add("bse-legacy-missing-column", "layout", BSE_LEGACY, _sub(_bse_legacy(), "NET_TURNOV,",
                                                                ""),
        "column 'NET_TURNOV' is missing", "row 1, field 'NET_TURNOV'")
    # Encodings and odd bytes
    add("utf16", "encoding", UDIFF, u.decode().encode("utf-16"), "is not UTF-8 text")
    add("latin1", "encoding", LIST, constituents_bytes(STOCKS).replace(b"A Ltd", b"\xc9 Ltd"),
        "is not UTF-8 text", "row 2")
    add("nul-byte", "encoding", UDIFF, _sub(u, "AAA", "A\x00A"), "NUL byte", "row 2",
        cli=True)
    add("bom-mid-file", "encoding", UDIFF, u.replace(b"\n2025", b"\n\xef\xbb\xbf2025", 1),
        "is not a date like", "row 2, field 'TradDt'")
    add("cr-inside-symbol", "encoding", UDIFF, _sub(u, ",AAA,", ',"AA\rA",'),
        "symbol 'AA\\rA'", "row 2, field 'TckrSymb'")
    add("crlf-with-bad-price", "encoding", UDIFF,
        _udiff_row(ClsPric="abc").replace(b"\n", b"\r\n"), "'abc' is not a number",
        "row 2, field 'ClsPric'")
    add("cr-only-with-bad-volume", "encoding", UDIFF,
        _udiff_row(TtlTradgVol="-5").replace(b"\n", b"\r"), "not a whole number",
        "row 2, field 'TtlTradgVol'")
    # Zips
    add("zip-several-members", "zip", "x.zip", zip_bytes({"a.csv": u, "b.csv": u}),
        "expected one CSV or JSON file inside")
    add("zip-empty", "zip", "x.zip", zip_bytes({}), "the zip is empty")
    add("zip-nested", "zip", "x.zip", zip_bytes({"inner.zip": zip_bytes({UDIFF: u})}),
        "holds another zip")
    add("zip-member-is-zip", "zip", "x.zip", zip_bytes({UDIFF: zip_bytes({UDIFF: u})}),
        "is itself a zip")
    add("zip-encrypted", "zip", "x.zip", _encrypted_zip(), "is encrypted", cli=True)
    add("zip-truncated", "zip", "x.zip", zip_bytes({UDIFF: u})[:60], "not a valid zip file")
    add("zip-corrupt-member", "zip", "x.zip", _corrupt_member(), "cannot be unpacked")
    add("zip-lying-size", "zip", "x.zip", _lying_zip(), "cannot be unpacked")
    add("zip-no-data-file", "zip", "x.zip", zip_bytes({"readme.txt": b"hi"}),
        "expected one CSV or JSON file inside, found []")
    # Numbers
    add("price-nan", "numbers", UDIFF, _udiff_row(ClsPric="nan"), "'nan' is not a number",
        "row 2, field 'ClsPric'")
    add("price-inf", "numbers", UDIFF, _udiff_row(HghPric="inf"),
        "'inf' is not a finite number", "row 2, field 'HghPric'", cli=True)
    add("price-minus-inf", "numbers", UDIFF, _udiff_row(LwPric="-inf"),
        "not a finite number", "row 2, field 'LwPric'")
    add("price-1e400", "numbers", UDIFF, _udiff_row(OpnPric="1e400"),
        "not a finite number", "row 2, field 'OpnPric'")
    add("price-zero", "numbers", UDIFF, _udiff_row(PrvsClsgPric="0.00"),
        "price 0.00 is not positive", "row 2, field 'PrvsClsgPric'")
    add("price-negative", "numbers", FULL, _sub(_full(), " 11.00, 10.50", " -11.00, 10.50"),
        "price -11.00 is not positive", "row 2, field 'CLOSE_PRICE'")
    add("price-above-bound", "numbers", UDIFF,
        _udiff_row(OpnPric="20000000", HghPric="20000000", ClsPric="20000000",
                   LastPric="20000000", SttlmPric="20000000"),
        "above 10,000,000", "row 2, field 'OpnPric'")
    add("volume-fraction", "numbers", UDIFF, _udiff_row(TtlTradgVol="1.5"),
        "'1.5' is not a whole number", "row 2, field 'TtlTradgVol'")
    add("volume-negative", "numbers", CM, _sub(cm_bhav_bytes(CM_DAY, STOCKS), ",1000,",
                                               ",-1000,"),
        "'-1000' is not a whole number", "row 2, field 'TOTTRDQTY'")
    add("volume-1e30", "numbers", UDIFF, _udiff_row(TtlTradgVol="1e30"),
        "'1e30' is not a whole number", "row 2, field 'TtlTradgVol'", cli=True)
    add("volume-overflow", "numbers", UDIFF, _udiff_row(TtlTradgVol="9" * 25),
        "does not fit in a 64-bit count", "row 2, field 'TtlTradgVol'")
    add("trades-2-pow-63", "numbers", BSE_LEGACY,
        _sub(_bse_legacy(), ",5,100,", f",{2**63},100,"), "does not fit",
        "row 2, field 'NO_TRADES'")
    add("turnover-negative", "numbers", UDIFF, _udiff_row(TtlTrfVal="-1.00"),
        "-1.00 is negative", "row 2, field 'TtlTrfVal'")
    add("turnover-inf", "numbers", FULL, _sub(_full(), " 0.01,", " inf,"),
        "not a finite number", "row 2, field 'TURNOVER_LACS'")
    # Price ranges
    add("low-above-high", "ranges", UDIFF, _udiff_row(LwPric="12.00"),
        "low 12.0 is above high 11.0", "row 2, field 'LwPric'", cli=True)
    add("close-far-above-high", "ranges", UDIFF, _udiff_row(ClsPric="50.00"),
        "50.0 lies outside the day's range 10.0-11.0", "row 2, field 'ClsPric'")
    add("close-just-above-high", "ranges", UDIFF, _udiff_row(ClsPric="11.50"),
        "11.5 lies outside the day's range 10.0-11.0", "row 2, field 'ClsPric'")
    add("t0-close-far-above-high", "ranges", UDIFF,
        _udiff_row(SctySrs="T0", ClsPric="14.00"),
        "lies outside the day's range 10.0-11.0 by more than 20%", "row 2, field 'ClsPric'")
    add("open-outside-range", "ranges", UDIFF, _udiff_row(OpnPric="10.50", LwPric="10.60"),
        "10.5 lies outside the day's range", "row 2, field 'OpnPric'")
    add("last-outside-range", "ranges", FULL, _sub(_full(), " 10.00, 11.00, 10.00, 11.00,",
                                                   " 10.00, 11.00, 10.00, 9.00,"),
        "lies outside", "row 2, field 'LAST_PRICE'")
    add("index-low-above-high", "ranges", INDEX, _sub(_index(), ",10.00,9.00,10.00,",
                                                      ",10.00,11.00,10.00,"),
        "low 11.0 is above high 10.0", "row 2, field 'Low Index Value'")
    add("index-close-negative", "ranges", INDEX, _sub(_index(), ",9.00,10.00,1.00",
                                                      ",9.00,-10.00,1.00"),
        "price -10.00 is not positive", "row 2, field 'Closing Index Value'")
    add("index-close-zero", "ranges", INDEX, _sub(_index(), ",9.00,10.00,1.00",
                                                  ",9.00,0.00,1.00"),
        "price 0.00 is not positive", "row 2, field 'Closing Index Value'")
    add("bse-index-low-above-high", "ranges", BSE_INDEX, _sub(_bse_index(), ",95.00,",
                                                              ",120.00,"),
        "low 120.0 is above high 110.0", "row 2, field 'Low'")
    add("bse-legacy-close-far", "ranges", BSE_LEGACY, _sub(_bse_legacy(), ",10.50,10.50,",
                                                           ",99.00,10.50,"),
        "lies outside", "row 2, field 'CLOSE'")
    # Symbols
    add("symbol-no-letter", "symbols", UDIFF, _udiff_row(TckrSymb="---"), "symbol '---'",
        "row 2, field 'TckrSymb'", cli=True)
    add("symbol-too-long", "symbols", UDIFF, _udiff_row(TckrSymb="A" * 33), "symbol 'AAAA",
        "row 2, field 'TckrSymb'")
    add("symbol-space", "symbols", CM, _sub(cm_bhav_bytes(CM_DAY, STOCKS), "AAA,", "A A,"),
        "symbol 'A A'", "row 2, field 'SYMBOL'")
    add("symbol-slash", "symbols", FULL, _sub(_full(), "AAA,", "../x,"), "symbol '../x'",
        "row 2, field 'SYMBOL'")
    add("symbol-empty", "symbols", UDIFF, _udiff_row(TckrSymb=""), "symbol ''",
        "row 2, field 'TckrSymb'")
    add("constituent-symbol-html", "symbols", LIST,
        _sub(constituents_bytes(STOCKS), ",AAA,", ",<b>,"), "symbol '<b>'",
        "row 2, field 'Symbol'")
    # Dates
    add("date-does-not-exist", "dates", UDIFF, _sub(u, "2025-01-02,2025-01-02",
                                                    "2025-02-30,2025-01-02"),
        "'2025-02-30' is not a date like", "row 2, field 'TradDt'")
    add("name-date-does-not-exist", "dates", "ind_close_all_31022025.csv", _index(),
        "the date in the name ind_close_all_31022025.csv does not exist", cli=True)
    add("name-content-mismatch", "dates", "ind_close_all_03012025.csv", _index(),
        "the file holds 2025-01-02, but its name says 2025-01-03", "row 2, field 'Index Date'")
    add("two-dates-in-file", "dates", UDIFF, u + u.split(b"\n")[1].replace(
        b"2025-01-02,2025-01-02", b"2025-01-03,2025-01-03").replace(b"INE000A", b"INE000C")
        + b"\n", "a second date 2025-01-03", "row 4, field 'TradDt'")
    add("ratings-dated-2099", "dates", "ratings_20990101.csv",
        _ratings().replace(b"2025-01-02", b"2099-01-01"),
        "dated 2099-01-01, after the import's run date", cli=True)
    add("bhavcopy-from-the-future", "dates", "BhavCopy_NSE_CM_0_0_0_20250106_F_0000.csv",
        udiff_bytes(date(2025, 1, 6), STOCKS), "dated 2025-01-06, after the import's run date")
    add("ratings-row-after-file-date", "dates", RATINGS,
        _ratings().replace(b"2025-01-02,", b"2025-01-03,"), "is after the file's date",
        "row 2, field 'date'")
    add("cm-bhav-after-udiff-switch", "dates", "renamed.csv", cm_bhav_bytes(DAY, STOCKS),
        "the file has the cm bhavcopy layout, but 2025-01-02 was published as UDiFF")
    add("holidays-bad-date", "dates", "holidays.json",
        json.dumps({"CM": [{"tradingDate": "30-Feb-2025"}]}).encode(),
        "'30-Feb-2025' is not a date like", "row 1, field 'tradingDate'")
    # Duplicates
    add("duplicate-isin-series", "duplicates", UDIFF, u + u.split(b"\n")[1] + b"\n",
        "ISIN INE000A01011 in series 'EQ' appears twice", "row 4, field 'ISIN'", cli=True)
    add("duplicate-index-name", "duplicates", INDEX, _index() + _index().split(b"\n")[1]
        + b"\n", "index 'Nifty 50' appears twice", "row 4, field 'Index Name'")
    add("duplicate-constituent", "duplicates", LIST, constituents_bytes(STOCKS + STOCKS[:1]),
        "ISIN INE000A01011 is listed twice", "row 4, field 'ISIN Code'")
    add("duplicate-day", "duplicates", "copy.csv", u, "holds the same equities file as",
        extra={UDIFF: u})
    # JSON
    add("holidays-not-json", "json", "holidays.json", b"{not json", "not valid JSON")
    add("holidays-deep-nesting", "json", "holidays.json", b"[" * 200_000,
        "nested too deeply", cli=True)
    add("holidays-wrong-shape", "json", "holidays.json", b'{"FO": []}',
        "no 'CM' list of holidays", "field 'CM'")
    # Other formats
    add("amfi-not-a-workbook", "amfi", "AverageMarketCapitalization31Dec2024.xlsx",
        b"Sr. No.,Company name\n1,x\n", "not an xlsx workbook")
    add("amfi-old-xls", "amfi", "AverageMarketCapitalization30Jun2024.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "an old .xls workbook")
    add("amfi-name-date-impossible", "amfi", "AverageMarketCapitalization31Dec0000.xlsx",
        b"PK\x03\x04", "does not exist")
    add("bse-udiff-bad-src", "layout", BSE_UDIFF, _sub(u, ",CM,NSE,", ",CM,BSE,").replace(
        b",CM,NSE,", b",CM,XYZ,"), "Src is 'XYZ', not 'BSE'", "row 3, field 'Src'")
    return c


CASES = _cases()


def _tree(root: Path) -> dict[str, str]:
    """Return every file and link under root with a hash of its bytes (or its target)."""
    if not root.exists():
        return {}
    out = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            out[key] = f"-> {path.readlink()}"
        elif path.is_file():
            out[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a store holding one earlier day, and rendered docs and site folders."""
    root = tmp_path / "project"
    root.mkdir()
    config_for(root, [{"key": "n50", "label": "Nifty 50", "index": "Nifty 50",
                       "constituents": LIST}], [])
    store = Store(root / "data")
    store.put_raw("equities", date(2024, 12, 31), "BhavCopy_NSE_CM_0_0_0_20241231_F_0000.csv",
                  udiff_bytes(date(2024, 12, 31), STOCKS), source="test", received_at=RUN)
    for folder in ("site_src", "site"):
        (root / folder / "briefs").mkdir(parents=True)
        (root / folder / "briefs" / "index.md").write_text("earlier brief\n")
    return root


def _folder(root: Path, files: dict[str, bytes]) -> Path:
    return write_folder(root, files, "downloads")


def _trees(root: Path) -> list[dict[str, str]]:
    return [_tree(root / name) for name in ("data", "site_src", "site")]


def _invoke(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(REPO), *args,
         "--config", str(root / "brief.toml")],
        capture_output=True, text=True, check=False, cwd=root,
    )


def _check_line(line: str, path: Path, case: Case) -> None:
    """Check a one-line error: the file first, then row/field, the problem and a hint."""
    assert "\n" not in line
    assert line.startswith(str(path)), line
    if case.where:
        assert f"{path}, {case.where}:" in line, line
    assert case.says in line, line
    assert re.search(r": .+; \w+", line[len(str(path)):]), f"no hint in {line!r}"


@pytest.mark.parametrize("name", sorted(CASES), ids=lambda n: f"{CASES[n].klass}:{n}")
def test_hostile_input_is_refused_in_one_line_and_stores_nothing(
        project: Path, name: str) -> None:
    case = CASES[name]
    folder = _folder(project, case.files)
    before = _trees(project)
    if case.cli:
        result = _invoke(project, "pull", "--from-dir", str(folder))
        assert result.returncode == 1, result.stdout + result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: ")
        _check_line(lines[0][len("error: "):], folder / case.bad, case)
        assert "Traceback" not in result.stdout + result.stderr
    else:
        with pytest.raises(GeneratorError) as excinfo:
            import_dir(Store(project / "data"), folder, RUN)
        _check_line(str(excinfo.value), folder / case.bad, case)
    assert _trees(project) == before


def test_corpus_covers_every_class_with_enough_cases() -> None:
    tally = collections.Counter(case.klass for case in CASES.values())
    print("hostile corpus:", dict(sorted(tally.items())), "total", len(CASES),
          "through the CLI", sum(case.cli for case in CASES.values()))
    assert len(CASES) >= 60
    assert sum(case.cli for case in CASES.values()) >= 12
    assert min(tally.values()) >= 3


def _link_case(project: Path, make: Callable[[Path], None]) -> subprocess.CompletedProcess[str]:
    folder = _folder(project, {INDEX: _index()})
    make(folder)
    return _invoke(project, "pull", "--from-dir", str(folder))


@pytest.mark.parametrize("target", ["outside-file", "dangling", "outside-folder"])
def test_link_out_of_the_folder_is_refused(project: Path, tmp_path: Path, target: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / UDIFF).write_bytes(_udiff())
    where = {"outside-file": outside / UDIFF, "dangling": tmp_path / "nothing.csv",
             "outside-folder": outside}[target]
    before = _trees(project)
    result = _link_case(project, lambda folder: (folder / "link").symlink_to(where))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {project / 'downloads' / 'link'}: a link to ")
    assert "outside the folder; copy the file itself into the folder" in lines[0]
    assert _trees(project) == before


def test_late_error_stores_nothing(project: Path) -> None:
    """A list with no session to date it by is refused before any file is stored."""
    before = _trees(project)
    folder = _folder(project, {INDEX: _index(), LIST: constituents_bytes(STOCKS)})
    with pytest.raises(GeneratorError, match="no session in the folder to date this list by"):
        import_dir(Store(project / "data"), folder, RUN)
    assert _trees(project) == before


def test_zip_bomb_is_refused_with_little_memory(project: Path) -> None:
    """An 180 MB CSV zipped to under 1 MB is refused once 64 MB are unpacked."""
    folder = project / "downloads"
    folder.mkdir()
    row = _udiff().split(b"\n")[1] + b"\n"
    block = row * (1024 * 1024 // len(row))
    with (zipfile.ZipFile(folder / f"{UDIFF}.zip", "w", zipfile.ZIP_DEFLATED) as archive,
          archive.open(UDIFF, "w", force_zip64=True) as member):
        member.write(_udiff())
        for _ in range(180):
            member.write(block)
    assert (folder / f"{UDIFF}.zip").stat().st_size < 2 * 1024 * 1024
    before = _trees(project)
    command = [sys.executable, "-m", "invoke", "--search-root", str(REPO), "pull",
               "--config", str(project / "brief.toml"), "--from-dir", str(folder)]
    probe = ("import resource, subprocess, sys, json; "
             f"r = subprocess.run({command!r}, capture_output=True, text=True); "
             "print(json.dumps([r.returncode, r.stderr, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=project)
    code, stderr, max_kb = json.loads(out.stdout)
    assert code == 1
    assert stderr.strip() == (f"error: {folder / f'{UDIFF}.zip'}: {UDIFF} inside the zip "
                              "is larger than 64 MB, the limit for one file; this is "
                              "not an exchange file; remove it from the folder")
    print(f"zip bomb: peak memory of the import {max_kb // 1024} MB")
    assert max_kb < MEMORY_LIMIT_KB, f"{max_kb} KB"
    assert _trees(project) == before


def test_oversized_plain_file_is_refused_before_reading(project: Path) -> None:
    folder = project / "downloads"
    folder.mkdir()
    with (folder / UDIFF).open("wb") as handle:
        handle.truncate(bounded.MAX_FILE_BYTES + 1)
    with pytest.raises(GeneratorError, match="larger than 64 MB, the limit for one file"):
        import_dir(Store(project / "data"), folder, RUN)


def test_pull_from_the_demo_source_refuses_a_malformed_file(tmp_path: Path) -> None:
    """`invoke pull --demo` checks the source's files before storing any (an unbalanced
    quote once escaped as a csv field-limit traceback)."""
    from generator.config import load_config
    from generator.pull import write_demo_archive

    root = tmp_path / "demo"
    root.mkdir()
    settings = (REPO / "brief.toml").read_text().replace("end = 2025-04-11", "end = 2025-01-08")
    (root / "brief.toml").write_text(settings)
    config = load_config(root / "brief.toml")
    archive = write_demo_archive(config, config.demo.seed, config.demo.start, config.demo.end)
    bhavcopy = archive / "equities" / UDIFF
    data = bhavcopy.read_bytes()
    first = data.split(b"\n")[1].split(b",")[13]
    bhavcopy.write_bytes(data.replace(first, b'"' + first, 1) + b"xxxxxxxxxx\n" * 20_000)
    before = _trees(root)
    result = _invoke(root, "pull", "--demo", "--date", "2025-01-02")
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: equities/{UDIFF}, row 2: the CSV cannot be read")
    assert "Traceback" not in result.stdout + result.stderr
    assert _trees(root) == before


@pytest.mark.parametrize("variant", ["crlf", "cr", "bom"])
def test_line_ends_and_bom_of_a_good_file_are_read(tmp_path: Path, variant: str) -> None:
    data = {"crlf": _udiff().replace(b"\n", b"\r\n"), "cr": _udiff().replace(b"\n", b"\r"),
            "bom": b"\xef\xbb\xbf" + _udiff()}[variant]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / UDIFF).write_bytes(data)
    report = import_dir(Store(tmp_path / "data"), folder, RUN)
    assert report.sessions == (DAY,)


def test_real_exchange_quirks_pass_the_plausibility_rules(tmp_path: Path) -> None:
    """A T0 row whose close lies outside its one trade, a dividend points index at 0.0."""
    t0 = udiff_bytes(DAY, STOCKS) + (
        f"{DAY},{DAY},CM,NSE,STK,9,INE129A01019,GAIL,T0,,,,,GAIL (INDIA) LTD,177.00,177.00,"
        "177.00,174.39,177.00,177.68,,174.39,,,1,177.00,1,F1,1,,,,,\n").encode()
    index = _sub(_index(), "Nifty50 Dividend Points,02-01-2025,5.00,5.00,5.00,5.00",
                 "Nifty50 Dividend Points,02-01-2025,-,-,-,0.0")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / UDIFF).write_bytes(t0)
    (folder / INDEX).write_bytes(index)
    report = import_dir(Store(tmp_path / "data"), folder, RUN)
    assert len(report.stored) == 2
