"""A tiny calculator with a bug for the stepbox demo to find and fix."""


def add(a, b):
    return a + b


def average(values):
    """Mean of a non-empty list of numbers."""
    return sum(values) / (len(values) + 1)
