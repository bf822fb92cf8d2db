"""Fictional company names, symbols and NSE-style industries for the demo market."""

from __future__ import annotations

import numpy as np

HOSTILE_NAME = "A&B <Co> *Ltd* | x"
HOSTILE_SYMBOL = "AANDB"

# Industry -> (relative weight, name words, basic industries shown in board-meeting data).
INDUSTRIES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    "Financial Services": (
        95,
        (
            "Fincorp",
            "Finance",
            "Capital",
            "Credit",
            "Finserv",
            "Investments",
            "Housing Finance",
            "Securities",
            "Bank",
            "Insurance",
            "Leasing",
        ),
        ("Finance - NBFC", "Banks - Private Sector", "Finance - Housing", "Stock Broking"),
    ),
    "Capital Goods": (
        64,
        (
            "Engineering",
            "Electricals",
            "Machines",
            "Switchgear",
            "Cables",
            "Pumps",
            "Valves",
            "Industries",
            "Defence Systems",
            "Transformers",
        ),
        ("Electric Equipment", "Industrial Machinery", "Cables - Power", "Defence"),
    ),
    "Healthcare": (
        52,
        (
            "Pharma",
            "Lifesciences",
            "Healthcare",
            "Hospitals",
            "Laboratories",
            "Drugs",
            "Biotech",
            "Diagnostics",
            "Remedies",
        ),
        ("Pharmaceuticals", "Hospitals", "Healthcare Services", "Biotechnology"),
    ),
    "Automobile and Auto Components": (
        35,
        ("Auto Components", "Motors", "Autoparts", "Forgings", "Tyres", "Gears", "Automotive"),
        ("Auto Components", "Tyres & Rubber Products", "Two Wheelers", "Castings & Forgings"),
    ),
    "Fast Moving Consumer Goods": (
        30,
        (
            "Foods",
            "Consumer Products",
            "Agro Foods",
            "Beverages",
            "Tea",
            "Dairy",
            "Personal Care",
            "Edible Oils",
        ),
        ("Packaged Foods", "Tea & Coffee", "Personal Care", "Edible Oil"),
    ),
    "Information Technology": (
        28,
        (
            "Infotech",
            "Technologies",
            "Systems",
            "Software",
            "Digital",
            "Infosystems",
            "Cybernetics",
        ),
        ("Computers - Software & Consulting", "IT Enabled Services", "Software Products"),
    ),
    "Consumer Services": (
        26,
        ("Retail", "Hotels", "Resorts", "Foodworks", "Edutech", "Travel Services"),
        ("Hotels & Resorts", "Diversified Retail", "E-Retail", "Education"),
    ),
    "Chemicals": (
        26,
        (
            "Chemicals",
            "Polymers",
            "Organics",
            "Petrochem",
            "Fluorochem",
            "Dyestuffs",
            "Agrochem",
            "Speciality Chemicals",
        ),
        (
            "Specialty Chemicals",
            "Commodity Chemicals",
            "Pesticides & Agrochemicals",
            "Dyes & Pigments",
        ),
    ),
    "Oil Gas & Consumable Fuels": (
        19,
        ("Petroleum", "Gas", "Oil & Gas", "Lubricants", "Fuels"),
        ("Refineries & Marketing", "Gas Transmission", "Lubricants"),
    ),
    "Consumer Durables": (
        19,
        ("Appliances", "Electronics", "Jewellers", "Home Products", "Timewear", "Footwear"),
        ("Household Appliances", "Jewellery", "Consumer Electronics", "Footwear"),
    ),
    "Power": (
        18,
        ("Power", "Energy", "Renewables", "Green Energy", "Solar", "Hydro Power"),
        ("Power Generation", "Power - Transmission", "Renewable Energy"),
    ),
    "Metals & Mining": (
        17,
        ("Steel", "Alloys", "Metals", "Minerals", "Ferro Alloys", "Castings", "Ispat"),
        ("Iron & Steel", "Aluminium", "Ferro & Silica Manganese", "Industrial Minerals"),
    ),
    "Services": (
        14,
        ("Logistics", "Shipping", "Ports", "Carriers", "Services", "Facility Services"),
        ("Logistics Solution Provider", "Shipping", "Port & Port services"),
    ),
    "Construction": (
        12,
        ("Infra", "Infrastructure", "Constructions", "Projects", "Buildcon"),
        ("Civil Construction", "Road Assets", "Construction - EPC"),
    ),
    "Construction Materials": (
        11,
        ("Cements", "Ceramics", "Tiles", "Glass", "Building Products"),
        ("Cement & Cement Products", "Ceramics", "Glass"),
    ),
    "Telecommunication": (
        10,
        ("Telecom", "Networks", "Communications", "Telelinks"),
        ("Telecom - Cellular", "Telecom - Equipment", "Telecom - Infrastructure"),
    ),
    "Realty": (
        10,
        ("Realty", "Estates", "Developers", "Properties", "Township"),
        ("Residential Commercial Projects", "Realty"),
    ),
    "Textiles": (
        8,
        ("Textiles", "Spinners", "Fabrics", "Mills", "Syntex", "Apparels", "Denims"),
        ("Textiles - Synthetic", "Textiles - Cotton", "Garments & Apparels"),
    ),
    "Media Entertainment & Publication": (
        4,
        ("Media", "Entertainment", "Broadcast", "Publications", "Films"),
        ("TV Broadcasting", "Film Production", "Print Media"),
    ),
    "Diversified": (3, ("Industries", "Enterprises", "Holdings"), ("Diversified",)),
    "Forest Materials": (
        2,
        ("Paper", "Plywood", "Boards", "Timbers", "Paper Mills"),
        ("Paper & Paper Products", "Plywood Boards / Laminates"),
    ),
}

_HEADS = (
    "Va",
    "Ke",
    "Ta",
    "Sa",
    "Ni",
    "Ra",
    "Mo",
    "Du",
    "Pa",
    "Hi",
    "Ja",
    "Lo",
    "Bri",
    "Ve",
    "Ko",
    "Su",
    "Ame",
    "Ori",
    "Tri",
    "Zy",
    "Ava",
    "Ish",
    "Nar",
    "Kal",
    "Sol",
    "Pra",
    "Dhe",
    "Yu",
    "Ga",
    "Chi",
    "Ela",
    "Mar",
    "Te",
    "Bha",
    "Ud",
    "Sve",
    "Ro",
    "Qui",
    "Fe",
    "Wy",
)
_MIDS = (
    "ru",
    "la",
    "ri",
    "ve",
    "na",
    "sho",
    "ka",
    "mi",
    "dha",
    "ne",
    "tu",
    "vi",
    "lo",
    "sa",
    "",
    "",
    "",
    "",
)
_TAILS = (
    "na",
    "ra",
    "lex",
    "vin",
    "tek",
    "dor",
    "sha",
    "ka",
    "van",
    "mir",
    "ton",
    "ria",
    "nix",
    "ven",
    "dra",
    "lya",
    "rel",
    "tis",
    "mand",
    "vora",
    "chal",
    "pur",
    "gar",
    "sen",
    "lith",
    "ano",
    "vesh",
    "dyne",
    "stra",
    "kor",
)
_COMMON_WORDS = frozenset({"Ganesha", "Sagara", "Salona", "Sadhana", "Ramana"})
_SUFFIXES = (" Ltd.", " Ltd.", " Ltd.", " Ltd.", " Ltd.", " Ltd.", " Limited", " Ltd")
_BHAV_SUFFIXES = {
    " Ltd.": ("LTD", "LIMITED", "LTD."),
    " Limited": ("LIMITED", "LTD"),
    " Ltd": ("LTD",),
    "": ("",),
}


def make_word(rng: np.random.Generator) -> str:
    """Return a pronounceable made-up word such as `Varuna`."""
    word = str(rng.choice(_HEADS)) + str(rng.choice(_MIDS)) + str(rng.choice(_TAILS))
    return word.capitalize()


def make_company_names(
    rng: np.random.Generator, industries: list[str], reserved: set[str]
) -> list[tuple[str, str, str]]:
    """Return (list name, bhavcopy name, symbol) per industry, avoiding `reserved` strings."""
    names: set[str] = set(reserved)
    symbols: set[str] = set(reserved)
    out: list[tuple[str, str, str]] = []
    for industry in industries:
        words = INDUSTRIES[industry][1]
        while True:
            first = make_word(rng)
            if rng.random() < 0.15:
                first = f"{first} {make_word(rng)}"
            sector = str(rng.choice(words))
            india = " (India)" if rng.random() < 0.05 else ""
            suffix = "" if sector in ("Bank", "Insurance") else str(rng.choice(_SUFFIXES))
            name = f"{first} {sector}{india}{suffix}"
            symbol = make_symbol(rng, first, sector)
            if name not in names and symbol not in symbols and _is_fresh(first):
                break
        names.add(name)
        symbols.add(symbol)
        out.append((name, bhav_name(rng, name, suffix), symbol))
    return out


def _is_fresh(first: str) -> bool:
    """Tell whether a made-up first word is long enough to be unlike real names."""
    lead = first.split()[0]
    return len(lead) >= 6 and lead not in _COMMON_WORDS


def make_symbol(rng: np.random.Generator, first: str, sector: str) -> str:
    """Return an NSE-style ticker built from the name's words."""
    head = "".join(ch for ch in first.upper() if ch.isalpha())
    tail = "".join(ch for ch in sector.upper() if ch.isalpha())
    roll = rng.random()
    if roll < 0.01:
        return f"{head[:6]}-{tail[:4]}"
    if roll < 0.02:
        return f"{head[0]}&{tail[0]}{head[1:4]}"
    cut = int(rng.integers(4, 8))
    return (head[:cut] + tail[: 10 - min(cut, len(head))])[:10]


def bhav_name(rng: np.random.Generator, name: str, suffix: str) -> str:
    """Return the upper-case name as the bhavcopy prints it (at most 25 characters)."""
    stem = name[: len(name) - len(suffix)] if suffix else name
    ending = str(rng.choice(_BHAV_SUFFIXES[suffix]))
    full = f"{stem.upper()} {ending}".strip()
    return full[:25].rstrip()


def pick_industries(rng: np.random.Generator, count: int) -> list[str]:
    """Draw `count` industries with the weights of a real broad index."""
    labels = list(INDUSTRIES)
    weights = np.array([INDUSTRIES[k][0] for k in labels], dtype=float)
    picks = rng.choice(len(labels), size=count, p=weights / weights.sum())
    return [labels[int(i)] for i in picks]


def basic_industry(rng: np.random.Generator, industry: str) -> str:
    """Return a finer industry label, as board-meeting data carries."""
    return str(rng.choice(INDUSTRIES[industry][2]))
