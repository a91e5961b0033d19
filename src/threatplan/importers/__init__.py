"""Converters from other threat-modeling tools' formats into model format v1."""
