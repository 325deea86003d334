"""Show lib's own code in the book, so the code the reader sees is the code that is tested.

Introduced in chapter 01.
"""

import inspect
import textwrap


def show_source(obj):
    """Display the source of a lib function, class or method with syntax highlighting.

    Introduced in chapter 01.
    """
    from IPython.display import Code, display

    try:
        source = inspect.getsource(obj)
    except TypeError as error:
        kind = type(obj).__name__
        raise TypeError(f"show_source(obj): expected a function, class, method or module, got {kind}") from error
    except OSError as error:  # e.g. a function typed into a notebook cell: Python keeps no source file for it
        raise ValueError(f"show_source(obj): no source file for {obj!r:.60}") from error
    # A method's source is indented as in its class: dedent it so it reads as a block.
    display(Code(textwrap.dedent(source), language="python"))
