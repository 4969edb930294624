"""Where something is on a screenshot: a rectangle in the screenshot's own pixels.

Plain data (no Playwright) so the guide check's capture, its JSON/JUnit reports and the HTML
renderer share one type across the layers.
"""

from __future__ import annotations

import struct
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def as_json(self) -> dict[str, float]:
        return {k: round(v, 1) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Box | None:
        return None if data is None else cls(float(data["x"]), float(data["y"]), float(data["width"]),
                                             float(data["height"]))

    def inside(self, width: float, height: float) -> bool:
        """Whether the whole box lies within an image of that size."""
        return self.x >= 0 and self.y >= 0 and self.x + self.width <= width and self.y + self.height <= height


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG, read from its header: no imaging library needed."""
    with path.open("rb") as file:
        head = file.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG file")
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)
