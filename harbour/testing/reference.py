"""Where the reference data lives: real public material nobody on the team wrote (the FBI
NIBRS specification, schema and a real Vermont submission; code tables compiled from public
specifications), copied into the repository under reference/ so that a clean clone tests
against it with nothing beside it. reference/README.md says where each file comes from and
under which licence."""

from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[2] / "reference"
NIBRS = REFERENCE / "nibrs"
CODES = REFERENCE / "codes"
TECHSPEC = NIBRS / "techspec2019.txt"
VERMONT = NIBRS / "VTUCR0001_20200420_NIBRS_010.txt"
