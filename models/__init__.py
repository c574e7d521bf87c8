"""Trained artifacts and model cards, installed as ``pipeline.models``."""
