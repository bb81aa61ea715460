from .base import Citation, Language, PublishableQuerySet, Record, Source, Status
from .practices import Film, Practice
from .proposals import Proposal, ProposalStatus
from .structures import LegalForm, Role, Structure
from .vocabulary import Accreditation, Theme

__all__ = [
    "Accreditation",
    "Citation",
    "Film",
    "Language",
    "LegalForm",
    "Practice",
    "Proposal",
    "ProposalStatus",
    "PublishableQuerySet",
    "Record",
    "Role",
    "Source",
    "Status",
    "Structure",
    "Theme",
]
