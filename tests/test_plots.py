import struct

import matplotlib.image as mpimg
import pytest

from defence_ner.evaluation.plots import plot_confusion, plot_f_with_intervals

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

CONFUSION = {
    "labels": ["PERSON", "WEAPON", "LOCATION", "spurious"],
    "columns": ["PERSON", "WEAPON", "LOCATION", "missed"],
    "matrix": [[40, 1, 2, 5], [0, 12, 0, 3], [3, 0, 25, 4], [6, 2, 1, 0]],
}

PER_LABEL = {
    "PERSON": {"f": 0.86, "low": 0.80, "high": 0.91},
    "WEAPON": {"f": 0.62, "low": 0.48, "high": 0.74},
    "LOCATION": {"f": 0.97, "low": 0.93, "high": 1.0},
    "OPERATION": {"f": 0.05, "low": 0.0, "high": 0.95},
}


def png_size(path):
    """(width, height) from the PNG header, after checking the signature."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def check_png(path, min_width=600, min_height=400):
    width, height = png_size(path)
    assert min_width <= width <= 4000 and min_height <= height <= 4000, (width, height)
    pixels = mpimg.imread(path)
    assert pixels.shape[:2] == (height, width)
    assert pixels.std() > 0.01  # something was drawn, not a blank canvas


def test_confusion_heatmap_is_a_png(tmp_path):
    path = tmp_path / "figs" / "confusion.png"
    plot_confusion(CONFUSION, path, "Dev confusion")
    check_png(path)


def test_confusion_with_a_label_without_counts(tmp_path):
    confusion = {
        "labels": ["PERSON", "URL", "spurious"],
        "columns": ["PERSON", "URL", "missed"],
        "matrix": [[3, 0, 1], [0, 0, 0], [0, 0, 0]],
    }
    path = tmp_path / "confusion.png"
    plot_confusion(confusion, path, "URL never seen")
    check_png(path)


def test_confusion_all_zero_does_not_crash(tmp_path):
    confusion = {"labels": ["A", "spurious"], "columns": ["A", "missed"], "matrix": [[0, 0], [0, 0]]}
    path = tmp_path / "confusion.png"
    plot_confusion(confusion, path, "empty")
    png_size(path)


def test_f_with_intervals_is_a_png(tmp_path):
    path = tmp_path / "f.png"
    plot_f_with_intervals(
        PER_LABEL, path, "F per label (95% bootstrap)", overall={"f": 0.81, "low": 0.77, "high": 0.85}
    )
    check_png(path)


@pytest.mark.parametrize(
    "zero", [{"f": 0.0, "low": 0.0, "high": 0.0}, {"f": None, "low": None, "high": None}, {"f": 0.0}]
)
def test_f_with_a_label_with_zero_counts(tmp_path, zero):
    path = tmp_path / "f.png"
    plot_f_with_intervals({**PER_LABEL, "URL": zero}, path, "with an empty label")
    check_png(path)


def test_f_without_labels_does_not_crash(tmp_path):
    path = tmp_path / "f.png"
    plot_f_with_intervals({}, path, "nothing", overall=None)
    png_size(path)
