"""The view behind the candidate, for `camera_moved`: a small, lighting-proof signature of the background (the
picture outside the face and the body under it), and how a later view compares with a reference one.

Why this shape: a webcam that is turned or moved shifts the whole background by the same few pixels, while a lamp
switched on scales and tilts the brightness but keeps the edges where they were, and the candidate's own movement
happens inside the face-and-body region that is masked out. So the signature is the background's gray levels at a
small size (96 px wide), and the comparison is the correlation of the edge images at zero shift: a shift of 2-3 %
of the picture already decorrelates the edges (measured: lighting changes stay under 0.01 of "change", a shift of
3 % gives 0.45-0.65). The size and direction of the shift are searched for only once an incident is decided, for
its explanation. A background too plain to carry a shift (a
bare wall) is `usable=False`: it cannot tell, rather than guess.

Pure: numpy and OpenCV on one frame, no state; the reference is held by the rule (rules/detectors/camera.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SIG_W = 96                 # signature width in pixels (the height keeps the frame's aspect)
MIN_TEXTURE = 0.012        # mean edge strength / mean gray level below which a background is too plain to judge
MIN_BACKGROUND = 0.15      # share of the picture that must be background (outside face and body)
BAND_MIN = 0.04            # share of the picture a third of it must have as background to be compared
BODY_SIDE = 0.5            # face widths beside the face box taken as head, ears and hair
BODY_ABOVE = 0.6           # face heights above it (hair)
SHOULDERS = 0.85           # face widths beside the face box taken as shoulders, from SHOULDER_Y below its top
SHOULDER_Y = 1.15          # face heights


@dataclass(frozen=True, slots=True)
class SceneSignature:
    t_s: float
    gray: np.ndarray = field(repr=False, compare=False)     # float32 (h, w), blurred
    mask: np.ndarray = field(repr=False, compare=False)     # bool (h, w): background pixels
    texture: float                                          # mean edge strength over the mean gray level
    brightness: float                                       # mean gray level of the background, 0..255
    usable: bool


@dataclass(frozen=True, slots=True)
class SceneComparison:
    change: float            # 1 - correlation of the background's edges at zero shift: 0 same view, ~1 another view
    brightness_ratio: float  # background brightness now / at the reference (lighting, for the evidence)
    usable: bool             # both views had enough background with enough structure to tell


def body_mask(shape: tuple[int, int], boxes: tuple[tuple[int, int, int, int], ...], frame_size: tuple[int, int]
              ) -> np.ndarray:
    """True where the picture is background: outside each face box widened to head and hair, and outside the body
    below it (down to the bottom of the picture)."""
    h, w = shape
    fw, fh = frame_size
    sx, sy = w / fw, h / fh
    mask = np.ones((h, w), bool)
    for x, y, bw, bh in boxes:
        x0 = int(max(0, (x - BODY_SIDE * bw) * sx))
        x1 = int(min(w, (x + bw + BODY_SIDE * bw) * sx + 1))
        y0 = int(max(0, (y - BODY_ABOVE * bh) * sy))
        mask[y0:, x0:x1] = False
        # the shoulders are wider than the head
        y2 = int(max(0, (y + SHOULDER_Y * bh) * sy))
        x2 = int(max(0, (x - SHOULDERS * bw) * sx))
        x3 = int(min(w, (x + bw + SHOULDERS * bw) * sx + 1))
        mask[y2:, x2:x3] = False
    return mask


def signature(image: np.ndarray, t_s: float, boxes: tuple[tuple[int, int, int, int], ...] = ()) -> SceneSignature:
    """The background signature of one BGR (or gray) frame; `boxes` are the face boxes in pixels (all faces)."""
    import cv2

    fh, fw = image.shape[:2]
    sh = max(8, round(SIG_W * fh / fw))
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    small = cv2.resize(gray, (SIG_W, sh), interpolation=cv2.INTER_AREA).astype(np.float32)
    small = cv2.GaussianBlur(small, (0, 0), 1.0)
    mask = body_mask((sh, SIG_W), tuple(boxes), (fw, fh))
    # the picture's border carries resampling artefacts
    mask[:1, :] = mask[-1:, :] = False
    mask[:, :1] = mask[:, -1:] = False
    share = float(mask.mean())
    if share <= 0:
        return SceneSignature(t_s, small, mask, 0.0, 0.0, False)
    bright = float(small[mask].mean())
    gx, gy = _edges(small)
    texture = float(np.hypot(gx, gy)[mask].mean() / max(bright, 1.0))
    return SceneSignature(t_s, small, mask, round(texture, 4), round(bright, 1),
                          share >= MIN_BACKGROUND and texture >= MIN_TEXTURE and bright >= 8.0)


def compare(ref: SceneSignature, cur: SceneSignature) -> SceneComparison:
    """How much the view `cur` differs from `ref`, on the background both of them saw."""
    if ref.gray.shape != cur.gray.shape:          # another resolution: nothing lines up, cannot tell
        return SceneComparison(0.0, 1.0, False)
    joint = ref.mask & cur.mask
    ratio = cur.brightness / ref.brightness if ref.brightness > 0 else 1.0
    usable = ref.usable and cur.usable and float(joint.mean()) >= MIN_BACKGROUND * 0.8
    if not joint.any():
        return SceneComparison(0.0, round(ratio, 3), False)
    return SceneComparison(round(1.0 - _edge_ncc(_edges(ref.gray), _edges(cur.gray), joint, 0, 0), 4), round(ratio, 3),
                           usable)


def estimate_shift(ref: SceneSignature, cur: SceneSignature, max_frac: float = 0.08) -> tuple[float, float, float]:
    """The shift of the background from `ref` to `cur` (dx, dy as shares of the width; x > 0: the view moved
    right in the picture) and the edge correlation there. A search, not phase correlation: the masked-out body is a
    static shape in both views and would pull a correlation peak to zero. About 5 ms, so it runs only when the view
    has changed: a moved camera's background is explained by a shift (or is another view altogether), while
    something that changed in one place (an arm, a chair) is not."""
    h, w = ref.gray.shape
    r = max(1, int(round(max_frac * w)))
    joint = ref.mask & cur.mask
    ea, eb = _edges(ref.gray), _edges(cur.gray)
    best = (-2.0, 0, 0)
    for step in (2, 1):
        cx, cy = (0, 0) if step == 2 else (best[1], best[2])
        span = range(-r, r + 1, 2) if step == 2 else range(-1, 2)
        for dy in span:
            for dx in span:
                x, y = (dx, dy) if step == 2 else (cx + dx, cy + dy)
                if abs(x) > r or abs(y) > r:
                    continue
                ncc = _edge_ncc(ea, eb, joint, x, y)
                if ncc > best[0]:
                    best = (ncc, x, y)
    return best[1] / w, best[2] / w, round(best[0], 3)


def median_signature(sigs: list[SceneSignature]) -> SceneSignature | None:
    """One reference from several frames (the check-in's or the calibration's): the per-pixel median gray, where
    every frame saw background. A person passing once or a blink of the light does not become the reference."""
    good = [s for s in sigs if s.usable]
    if not good:
        return None
    shape = good[0].gray.shape
    good = [s for s in good if s.gray.shape == shape]
    gray = np.median(np.stack([s.gray for s in good]), axis=0).astype(np.float32)
    mask = np.logical_and.reduce([s.mask for s in good])
    if not mask.any():
        return None
    bright = float(gray[mask].mean())
    gx, gy = _edges(gray)
    texture = float(np.hypot(gx, gy)[mask].mean() / max(bright, 1.0))
    return SceneSignature(good[-1].t_s, gray, mask, round(texture, 4), round(bright, 1),
                          float(mask.mean()) >= MIN_BACKGROUND and texture >= MIN_TEXTURE)


def _edges(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import cv2

    return cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)


def _edge_ncc(ea: tuple[np.ndarray, np.ndarray], eb: tuple[np.ndarray, np.ndarray], mask: np.ndarray, dx: int,
              dy: int) -> float:
    """Correlation of the edges `ea` (x and y gradients) with `eb` moved by (dx, dy) pixels, over the background
    (edges, not gray levels: a change of gain or offset leaves them where they were)."""
    h, w = mask.shape
    ys, ye = max(0, -dy), min(h, h - dy)
    xs, xe = max(0, -dx), min(w, w - dx)
    if ye - ys < 4 or xe - xs < 4:
        return -1.0
    m = mask[ys:ye, xs:xe] & mask[ys + dy:ye + dy, xs + dx:xe + dx]
    if m.sum() < 16:
        return -1.0
    (ax, ay), (bx, by) = ea, eb
    va = np.concatenate([ax[ys:ye, xs:xe][m], ay[ys:ye, xs:xe][m]])
    vb = np.concatenate([bx[ys + dy:ye + dy, xs + dx:xe + dx][m], by[ys + dy:ye + dy, xs + dx:xe + dx][m]])
    va, vb = va - va.mean(), vb - vb.mean()
    denom = float(np.sqrt((va * va).sum() * (vb * vb).sum()))
    return float((va * vb).sum() / denom) if denom > 0 else 0.0
