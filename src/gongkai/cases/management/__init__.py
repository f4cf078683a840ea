"""Management commands of the case platform."""
