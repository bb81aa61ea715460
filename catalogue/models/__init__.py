from .base import Citation, Language, PublishableQuerySet, Record, Source, Status, is_public
from .figures import Figure, FigureKind, Method, MethodKind, MethodStep, Qualifier
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
    "Figure",
    "FigureKind",
    "Language",
    "Person",
    "PersonRole",
    "LegalForm",
    "Method",
    "MethodKind",
    "MethodStep",
    "Practice",
    "Proposal",
    "ProposalStatus",
    "PublishableQuerySet",
    "Qualifier",
    "Record",
    "Role",
    "SearchEntry",
    "Source",
    "Status",
    "Structure",
    "TagCount",
    "Term",
    "Theme",
    "is_public",
]
