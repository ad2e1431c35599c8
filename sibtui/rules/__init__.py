"""Validation: check digits, field rules and business rules over the workspace -> findings."""
