"""Neural networks from the ground up: the library the book teaches with."""
