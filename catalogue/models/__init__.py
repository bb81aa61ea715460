from .base import Citation, Language, PublishableQuerySet, Record, Source, Status
from .practices import Film, Practice
from .structures import LegalForm, Role, Structure
from .vocabulary import Accreditation, Theme

__all__ = [
    "Accreditation",
    "Citation",
    "Film",
    "Language",
    "LegalForm",
    "Practice",
    "PublishableQuerySet",
    "Record",
    "Role",
    "Source",
    "Status",
    "Structure",
    "Theme",
]
