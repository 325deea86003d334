"""draw_graph names the layer-level nodes of chapters 04-05: z = w a + b and the cost (a - y)^2 / 2."""

import matplotlib.pyplot as plt

from lib.autodiff import Var
from lib.plotting import draw_graph


def test_affine_and_squared_error_nodes_are_written_as_formulas():
    w, x, b = Var(0.5, label="w"), Var(0.3, label="x"), Var(-0.2, label="b")
    z = w.operation("affine", w.value * x.value + b.value, (w, x.value), (x, w.value), (b, 1.0))
    cost = z.operation("squared_error", 0.5 * (z.value - 0.7) ** 2, (z, z.value - 0.7))
    cost.backward()
    ax = draw_graph(cost)
    texts = [text.get_text() for text in ax.texts]
    assert any("x_{4} = x_{1} x_{2} + x_{3}" in text for text in texts)
    assert any(r"x_{5} = \frac{1}{2}(x_{4} - y)^2" in text for text in texts)
    assert w.grad == (z.value - 0.7) * x.value
    ax.figure.canvas.draw()  # the TeX must parse
    plt.close("all")
