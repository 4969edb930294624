"""TRACES reference and registration data of the offline portal: operators, authorities, postal
codes, and the users' role requests. Seeded for the guide's cases (README: Seed data)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

# Chapter -> section -> activities. Keys are codes; labels are in i18n.py.
# Plant Health (TNT-PH, the official "Operator doesn't exist" chapter phyto.html): a consignor or
# exporter requests EUPO, EURPO, PLANTS, QUA-CONF, TCPO, ORGANIC EXPORTER, ORGANIC PRODUCER or NON
# ANIMAL ORIGIN FOOD AND FEED, and "Responsible for the consignment" is what creating Part I of a
# CHED-PP needs (confirmed). That each is a section with one activity of its own is inferred (the
# guide C12: EUPO has a single activity), as is CONTROL_POINT (see OPER_029_SECTIONS).
# Chapter "Other" keeps the guide's cargo section (C13), for operators registered that way.
CHAPTERS: dict[str, dict[str, list[str]]] = {
    "PLANT_HEALTH": {
        "EUPO": ["EUPO_OPERATOR"],
        "EURPO": ["EURPO_OPERATOR"],
        "PLANTS": ["PLANTS_IMPORT", "PLANTS_EXPORT"],
        "QUA_CONF": ["QUA_CONF_OPERATOR"],
        "TCPO": ["TCPO_OPERATOR"],
        "ORGANIC_EXPORTER": ["ORGANIC_EXPORTER"],
        "ORGANIC_PRODUCER": ["ORGANIC_PRODUCER_PH"],
        "NAOFF": ["NAOFF_OPERATOR"],
        "PH_CONSIGNMENT": ["RESPONSIBLE_FOR_CONSIGNMENT"],
        "CONTROL_POINT": ["CONTROL_POINT_OPERATOR"],
    },
    "ANIMAL": {"ANIMAL_TRANSPORT": ["ANIMAL_TRANSPORTER"]},
    "FOOD": {"FOOD_ESTABLISHMENT": ["FOOD_PRODUCER"]},
    "OTHER": {"CONSIGNMENT": ["RESPONSIBLE_FOR_LOAD"]},
    "EU_CITES": {"CITES": ["CITES_TRADER"]},
    "ORGANIC": {"ORGANIC_OPERATOR": ["ORGANIC_PRODUCER"]},
    "FISHING": {"FISHING_VESSEL": ["FISHING_OPERATOR"]},
}
# TNT-HELP "Operator doesn't exist": "Search responsible authorities" is needed for these chapters ...
AUTHORITY_SEARCH_CHAPTERS = frozenset({"ANIMAL", "FOOD", "OTHER", "FISHING"})
# ... and for these there is no authority step: after "Send authorization request" the authority is
# assigned "based on geographical data" (TNT-PH). How the address decides it is inferred
# (`authority_from_address`).
AUTOMATIC_AUTHORITY_CHAPTERS = frozenset({"PLANT_HEALTH", "EU_CITES"})
# TNT-PH: Organic has its own box, "Control Body / Control Authority", to choose the authority in.
CONTROL_BODY_CHAPTERS = frozenset({"ORGANIC"})
# TNT-HELP quotes "OPER-029 Data input source in TNT user registration not allowed for classification
# section XXX"; TNT-PH: it can hit Plant Health sections managed through national approved-
# establishment lists, and QUA-CONF is requestable. Which sections are list-managed is not public;
# inferred: control points, which the authority designates and lists itself.
OPER_029_SECTIONS = {"CONTROL_POINT": "CP"}
# The section whose activity is needed for Part I of a CHED-PP (TNT-PH): its authority is the border
# control of the address's city where there is one (inferred), the national plant authority otherwise.
CHED_PP_SECTIONS = frozenset({"PH_CONSIGNMENT"})
IDENTIFIER_TYPES = ("CENTRAL_BUSINESS_REGISTER", "NATIONAL_REGISTRATION_NUMBER", "EORI", "VAT")

# Swedish postal codes the portal knows. Deliberately incomplete (guide C9): 252 27 is missing.
POSTAL_CODES = {
    "25220": "Helsingborg", "25221": "Helsingborg", "25225": "Helsingborg", "25226": "Helsingborg",
    "11120": "Stockholm", "11122": "Stockholm", "41101": "Göteborg", "21119": "Malmö", "55111": "Jönköping",
}


@dataclass
class Authority:
    id: int
    name: str
    city: str
    domains: list[str]  # i18n keys of what it handles


@dataclass
class Activity:
    chapter: str
    section: str
    activity: str
    authority_id: int


@dataclass
class Operator:
    id: int
    name: str
    street: str
    postal_code: str
    city: str
    country: str
    phone: str
    email: str
    identifiers: list[tuple[str, str]]
    activities: list[Activity]
    status: str = "valid"  # valid | pending (created: Activity Status "New" until its authority validates it)
    identification_code: str = ""
    other_addresses: list[tuple[str, str, str]] = field(default_factory=list)  # "+ Add address": street, code, city

    @property
    def organisation_number(self) -> str | None:
        return next((v for t, v in self.identifiers if t == "NATIONAL_REGISTRATION_NUMBER"), None)


@dataclass
class RoleRequest:
    id: int
    username: str
    operator_id: int
    status: str  # pending | authorised
    administrator: bool = False
    info: str = ""


@dataclass
class TracesData:
    authorities: list[Authority] = field(default_factory=list)
    operators: list[Operator] = field(default_factory=list)
    requests: list[RoleRequest] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # display names of users without a seeded EU Login
    # Authority users (organisation type "Authority"): username -> the authority they work for. They
    # validate operators under Actors > Operators (TNT-PH "Operator validation workflow").
    authority_staff: dict[str, int] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    def request(self, request_id: int) -> RoleRequest | None:
        return next((r for r in self.requests if r.id == request_id), None)

    def administers(self, username: str, operator_id: int) -> bool:
        return any(r.username == username and r.operator_id == operator_id and r.status == "authorised"
                   and r.administrator for r in self.requests)

    def administered_by(self, username: str) -> list[int]:
        return [r.operator_id for r in self.requests
                if r.username == username and r.status == "authorised" and r.administrator]

    def operator(self, operator_id: int) -> Operator | None:
        return next((o for o in self.operators if o.id == operator_id), None)

    def roles_of(self, username: str) -> list[RoleRequest]:
        return [r for r in self.requests if r.username == username]


JORDBRUKSVERKET, KONTROLLORGAN = 1, 4
HELSINGBORG_PLANTS = 2  # border control of plants and CHED-PP in Helsingborg (guide C14)
# Seeded authority users (README: Seed data): the national plant authority and Helsingborg's border control.
PLANT_INSPECTOR, BORDER_INSPECTOR = "vera.vaxtskydd@jordbruksverket.se", "gunnar.grans@jordbruksverket.se"
CHAPTER_DOMAIN = {"PLANT_HEALTH": "domain.plants", "EU_CITES": "domain.cites"}


def authority_from_address(data: TracesData, chapter: str, section: str, city: str) -> int:
    """TNT-PH: for Plant Health and EU CITES the authority is assigned "based on geographical data".
    How is not public; inferred: a Swedish address belongs to the national authority of the chapter
    (Jordbruksverket), except the CHED-PP section, whose authority is the border control of the
    address's city when there is one (the guide's Helsingborg case, C14)."""
    domain = CHAPTER_DOMAIN.get(chapter, "domain.plants")
    if section in CHED_PP_SECTIONS:
        local = [a for a in data.authorities if a.city.casefold() == city.strip().casefold()
                 and "domain.ched_pp" in a.domains]
        if local:
            return local[0].id
    national = [a for a in data.authorities if domain in a.domains]
    return national[0].id if national else JORDBRUKSVERKET


def seed_traces(existing_users: list[str]) -> TracesData:
    data = TracesData()
    data.authorities = [
        Authority(JORDBRUKSVERKET, "Jordbruksverket – Växtskydd", "Jönköping", ["domain.plants", "domain.cites"]),
        Authority(HELSINGBORG_PLANTS, "Jordbruksverket Helsingborg – Gränskontroll växter", "Helsingborg",
                  ["domain.plants", "domain.ched_pp"]),
        Authority(3, "Livsmedelsverket Helsingborg – Gränskontroll livsmedel", "Helsingborg",
                  ["domain.food", "domain.ched_d"]),
        Authority(KONTROLLORGAN, "Kontrollorgan för ekologisk produktion", "Uppsala", ["domain.organic"]),
        Authority(5, "Helsingborgs stad – Miljöförvaltningen", "Helsingborg", ["domain.food"]),
    ]

    def operator(oid: int, name: str, street: str, code: str, org: str, *activities: Activity) -> Operator:
        return Operator(oid, name, street, code, POSTAL_CODES.get(code, "Helsingborg"), "SE", "+46 42 100 00 00",
                        f"info@{oid}.example.se", [("NATIONAL_REGISTRATION_NUMBER", org)], list(activities))

    data.operators = [
        operator(1, "Grönt Export AB", "Hamngatan 1", "25225", "556677-8899",
                 Activity("PLANT_HEALTH", "EURPO", "EURPO_OPERATOR", JORDBRUKSVERKET)),
        operator(2, "Grönt Export Skåne AB", "Drottninggatan 12", "25221", "556123-4567",
                 Activity("PLANT_HEALTH", "EURPO", "EURPO_OPERATOR", JORDBRUKSVERKET)),
        operator(3, "Grönt Export AB", "Storgatan 5", "55111", "559012-3450",
                 Activity("PLANT_HEALTH", "EURPO", "EURPO_OPERATOR", JORDBRUKSVERKET)),
        operator(4, "Öresund Last & Spedition AB", "Hamntorget 3", "25220", "556987-6542",
                 Activity("OTHER", "CONSIGNMENT", "RESPONSIBLE_FOR_LOAD", 2)),
        operator(5, "Gröna Ekogården AB", "Bygatan 7", "55111", "556246-8131",
                 Activity("ORGANIC", "ORGANIC_OPERATOR", "ORGANIC_PRODUCER", KONTROLLORGAN)),
        operator(6, "Nordic Plant Trade AB", "Kungsgatan 20", "11122", "556135-7921",
                 Activity("PLANT_HEALTH", "EURPO", "EURPO_OPERATOR", JORDBRUKSVERKET)),
        # Two registrations with one name and no identifiers: only a person can tell them apart.
        operator(7, "Blomsterhandel Syd AB", "Södergatan 2", "21119", "",
                 Activity("PLANT_HEALTH", "EURPO", "EURPO_OPERATOR", JORDBRUKSVERKET)),
        operator(8, "Blomsterhandel Syd AB", "Norra vägen 9", "25226", "",
                 Activity("PLANT_HEALTH", "EURPO", "EURPO_OPERATOR", JORDBRUKSVERKET)),
    ]
    for seeded in data.operators:
        seeded.identifiers = [(kind, value) for kind, value in seeded.identifiers if value]
    # Users who already use TRACES are authorised at Nordic Plant Trade AB; the COI user only for organics.
    for username in existing_users:
        data.requests.append(RoleRequest(next(data.ids), username, 6, "authorised"))
    data.requests.append(RoleRequest(next(data.ids), "cilla.coi@vaxtexport.se", 5, "authorised"))
    data.authority_staff = {PLANT_INSPECTOR: JORDBRUKSVERKET, BORDER_INSPECTOR: HELSINGBORG_PLANTS}
    seed_colleagues(data)
    return data


ADMIN, BULK_ADMIN = "anna.admin@vaxtexport.se", "bertil.bulk@vaxtexport.se"
BULK_PENDING = 210  # Nordic Plant Trade AB: more pending requests than fit on one page


def seed_colleagues(data: TracesData) -> None:
    """Administrators and their colleagues' requests (guide D, E): an operator with no pending
    request (Grönt Export Skåne AB), one with a few (Grönt Export AB), one with many (Nordic)."""
    def add(username: str, operator_id: int, status: str, administrator: bool = False, name: str = "") -> None:
        data.requests.append(RoleRequest(next(data.ids), username, operator_id, status, administrator))
        if name:
            data.people[username] = name

    add(ADMIN, 1, "authorised", administrator=True)
    add(ADMIN, 2, "authorised", administrator=True)
    add("sven.susp@vaxtexport.se", 1, "authorised")
    for user, name in (("erik.eriksson@grontexport.se", "Erik Eriksson"),
                       ("frida.fors@grontexport.se", "Frida Fors"),
                       ("gustav.gran@konsult.example.com", "Gustav Gran")):
        add(user, 1, "pending", name=name)
    add(BULK_ADMIN, 6, "authorised", administrator=True)
    for n in range(1, BULK_PENDING + 1):
        add(f"user{n:03d}@nordicplant.se", 6, "pending", name=f"Användare {n:03d}")

