"""The words the demo's businesses, people, addresses, requests for missing data, answers and
checks are made of."""

from __future__ import annotations

PLACES = [
    "Põhjaranniku",
    "Saarte",
    "Tartu",
    "Pärnu",
    "Läänemere",
    "Kalevi",
    "Emajõe",
    "Viru",
    "Hiiu",
    "Peipsi",
    "Kuressaare",
    "Nõmme",
    "Rakvere",
    "Võru",
    "Haapsalu",
    "Otepää",
    "Narva",
    "Valga",
    "Jõgeva",
    "Paide",
    "Kärdla",
    "Rapla",
    "Viljandi",
    "Tallinna",
    "Lõuna",
    "Kadrioru",
    "Sõrve",
    "Muhu",
    "Alutaguse",
    "Karksi",
]


# Words a business of each area would have in its name.
AREA_WORDS = {
    "majutus": ["Külalistemaja", "Puhkemaja", "Hotell", "Hostel", "Turismitalu"],
    "alkoholi-jaemuuk": ["Veinipood", "Kauplus", "Market", "Joogiäri"],
    "tubakatoodete-jaemuuk": ["Kiosk", "Kaubandus", "Tanklapood"],
    "toitlustamine": ["Kohvik", "Bistroo", "Grill", "Pagarikoda", "Söökla"],
    "turvateenus": ["Valve", "Turvateenused", "Valvekeskus", "Kaitse"],
    "eradetektiiv": ["Detektiivibüroo", "Uurimisbüroo"],
    "jaatmekaitlus": ["Jäätmekäitlus", "Keskkonnateenused", "Taaskasutus"],
    "reisikorraldus": ["Reisid", "Matkad", "Turism"],
    "kuttemuuk": ["Kütus", "Energia", "Tankla"],
    "hasartmang": ["Kasiino", "Mängud"],
}


NAME_SUFFIXES = ["OÜ", "OÜ", "OÜ", "AS", "MTÜ"]


PEOPLE = [
    "Kristjan Õunapuu",
    "Mari-Liis Kask",
    "Tiit Lepik",
    "Kadri Põld",
    "Jüri Saar",
    "Anneli Mets",
    "Margus Tamm",
    "Triin Kuusk",
    "Rein Ilves",
    "Piret Mägi",
    "Aivar Org",
    "Liina Raud",
]


STREETS = [
    ("Rüütli", "Pärnu", "80010"),
    ("Ranna pst", "Pärnu", "80012"),
    ("Rüütli", "Tartu", "51007"),
    ("Narva mnt", "Tallinn", "10120"),
    ("Pikk", "Tallinn", "10133"),
    ("Lossi", "Kuressaare", "93815"),
    ("Tallinna", "Rakvere", "44311"),
    ("Jaama", "Võru", "65608"),
    ("Karja", "Haapsalu", "90502"),
    ("Vabriku", "Narva", "20308"),
    ("Uus", "Viljandi", "71004"),
    ("Aia", "Paide", "72712"),
]


DEFICIENCY_TEXTS = [
    "Palun esitage vastutuskindlustuse lepingu koopia ja kindlustuspoliisi kehtivuse kinnitus.",
    "Tegevuskoha aadressilt puudub ehitisregistri kasutusteatis. Palun lisage see.",
    "Palun täpsustage tegevuskohtade lahtiolekuajad ja vastutava isiku kontaktandmed.",
    "Taotlusele on lisamata jäätmekava. Palun esitage see PDF-failina.",
]


ANSWERS = [
    "Lisasime nõutud dokumendi. Vabandame viivituse pärast.",
    "Kasutusteatis on lisatud, tegevuskoht on sama.",
    "Lahtiolekuajad on E–R 9–18, vastutav isik on juhatuse liige.",
]


CHECK_NOTES = [
    "Andmed vastavad äriregistri andmetele.",
    "Tegevuskoha aadress kontrollitud, vastutuskindlustus kehtib.",
    "Kontrollitud; märkusi ei ole.",
    "Majutusasutuse liik ja kohtade arv vastavad tegevusala nõuetele.",
]
