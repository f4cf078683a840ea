"""Writes to the registry: each service is one transaction with its audit entry."""
