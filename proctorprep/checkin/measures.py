"""Image measures the photo checks share. Pure numpy/OpenCV on BGR uint8 arrays; no models.

Sharpness is the variance of the Laplacian on a grey copy scaled to a fixed width and to a fixed contrast, so the
same number means the same blur at any camera resolution and in dim light.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

SHARPNESS_WIDTH = 200         # pixels: a wider region is scaled down to this before the Laplacian


def grey(image_bgr: np.ndarray) -> np.ndarray:
    return image_bgr if image_bgr.ndim == 2 else cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)


def crop(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x, y, w, h = box
    H, W = image.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    return image[y0:y1, x0:x1]


def sharpness(image_bgr: np.ndarray, width: int = SHARPNESS_WIDTH) -> float:
    """Variance of the Laplacian of the region scaled to `width` px wide and to a fixed contrast."""
    g = grey(image_bgr)
    if g.size == 0:
        return 0.0
    h, w = g.shape
    if w > width:        # only ever down: enlarging a small face would blur it and read as "blurred"
        g = cv2.resize(g, (width, max(1, round(h * width / w))), interpolation=cv2.INTER_AREA)
    g = g.astype(np.float64)
    # contrast-normalised (to a spread of 50 grey levels): a dim photo is not a blurred one
    g = (g - g.mean()) * (50.0 / (g.std() + 1.0))
    return float(cv2.Laplacian(g, cv2.CV_64F).var())


def luma(image_bgr: np.ndarray) -> float:
    g = grey(image_bgr)
    return float(g.mean()) if g.size else 0.0


@dataclass(frozen=True, slots=True)
class HotSpot:
    """The largest blown-out blob (glare): its share of the region's area and its box in the region's pixels."""

    share: float
    box: tuple[int, int, int, int] | None


def glare_spot(image_bgr: np.ndarray, level: int = 248) -> HotSpot:
    """Glare is a compact blob of pixels at the sensor's white (all channels near 255). A white card background is
    bright too but not blown out in every channel, and printed text breaks it up."""
    if image_bgr.size == 0:
        return HotSpot(0.0, None)
    blown = (image_bgr.min(axis=2) >= level).astype(np.uint8) if image_bgr.ndim == 3 else (image_bgr >= level)
    blown = cv2.morphologyEx(blown.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(blown, connectivity=8)
    if n <= 1:
        return HotSpot(0.0, None)
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h, area = (int(v) for v in stats[i])
    return HotSpot(area / float(blown.shape[0] * blown.shape[1]), (x, y, w, h))


def boxes_overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
