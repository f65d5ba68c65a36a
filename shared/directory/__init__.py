"""The directory: sites, managers and partners, as the Welcome Center keeps them."""

from pathlib import Path

from shared.directory.loader import DirectoryError, load_directory, parse_directory
from shared.directory.model import Absence, Directory, Manager, Partner, Site

# The demo directory shipped with the product (two sites, four managers, partners).
DEMO_DIRECTORY = Path(__file__).resolve().parent.parent / "data" / "demo_directory.yaml"

__all__ = [
    "DEMO_DIRECTORY",
    "Absence",
    "Directory",
    "DirectoryError",
    "Manager",
    "Partner",
    "Site",
    "load_directory",
    "parse_directory",
]
