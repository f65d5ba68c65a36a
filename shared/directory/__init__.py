"""The directory: sites, managers and partners, as the Welcome Center keeps them."""

from shared.directory.loader import DirectoryError, load_directory, parse_directory
from shared.directory.model import Absence, Directory, Manager, Partner, Site

__all__ = [
    "Absence",
    "Directory",
    "DirectoryError",
    "Manager",
    "Partner",
    "Site",
    "load_directory",
    "parse_directory",
]
