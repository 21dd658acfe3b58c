"""Squeeze (RealNVP/Glow): space-to-depth by factor f, (C,H,W) -> (C f^2, H/f, W/f).
Channel order matches torch.nn.PixelUnshuffle, so the inverse is PixelShuffle (ONNX DepthToSpace).
Volume preserving: log|det J| = 0."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Squeeze(nn.Module):
    def __init__(self, factor=2):
        super().__init__()
        self.factor = factor

    def forward(self, x, cond=None):
        return F.pixel_unshuffle(x, self.factor), torch.zeros(x.shape[0], dtype=x.dtype, device=x.device)

    def inverse(self, y, cond=None):
        return F.pixel_shuffle(y, self.factor)
