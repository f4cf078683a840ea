"""Template tags of the registry's pages."""
