"""Omboon: books, members and welfare for Thai community funds and their networks."""
