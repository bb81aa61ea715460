from .base import Citation, Language, PublishableQuerySet, Record, Source, Status
from .glossary import Term
from .people import CreditRole, FilmCredit, Person, PersonRole
from .practices import Film, Practice
from .proposals import Proposal, ProposalStatus
from .search import EntryKind, EntryTag, SearchEntry, TagCount
from .structures import LegalForm, Role, Structure
from .vocabulary import Accreditation, Theme

__all__ = [
    "Accreditation",
    "Citation",
    "CreditRole",
    "EntryKind",
    "EntryTag",
    "Film",
    "FilmCredit",
    "Language",
    "Person",
    "PersonRole",
    "LegalForm",
    "Practice",
    "Proposal",
    "ProposalStatus",
    "PublishableQuerySet",
    "Record",
    "Role",
    "SearchEntry",
    "Source",
    "Status",
    "Structure",
    "TagCount",
    "Term",
    "Theme",
]
