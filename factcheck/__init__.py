"""factcheck: find where the sources of a corpus disagree."""

__version__ = "0.1.0"
