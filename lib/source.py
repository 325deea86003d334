"""Show lib's own code in the book, so the code the reader sees is the code that is tested.

Introduced in chapter 01.
"""

import inspect


def show_source(obj):
    """Display the source of a lib function, class or method with syntax highlighting.

    Introduced in chapter 01.
    """
    from IPython.display import Code, display

    try:
        source = inspect.getsource(obj)
    except TypeError as error:
        raise TypeError(f"show_source(obj): expected a function, class, method or module, got {type(obj).__name__}") from error
    display(Code(inspect.cleandoc(source) if source.startswith((" ", "\t")) else source, language="python"))
