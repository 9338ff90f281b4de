"""The demo network: deterministic, realistic data for trying Omboon and for benchmarks.

``omboon demo`` (demo/management/commands/demo.py) is a thin wrapper around
``omboon.demo.generator.build``.
"""
