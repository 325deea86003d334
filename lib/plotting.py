"""Figures the book draws: decision boundaries, loss curves, network diagrams and computation graphs.

Several authors add to this module: append functions, never rewrite the file.
"""
