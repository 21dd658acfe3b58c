"""PatchFlow: a small normalizing flow over 16x16 RGB patches, built only from the project's
layer library (models/flows): Squeeze, ActNorm, CInCConv3x3 (the invertible 3x3 convolution
whose parametrisation keeps the CInC invertibility condition), QuadCoupling.

    3x16x16 -Squeeze-> 12x8x8 -[ActNorm, CInCConv3x3, QuadCoupling] x 3
            -Squeeze-> 48x4x4 -[ActNorm, CInCConv3x3, QuadCoupling] x 2 -ActNorm-> z ~ N(0, I)

Data -> latent (the direction the agent needs for the negative log-likelihood) is plain
convolutions: the CInC conv's forward is an ordinary conv padded top/left, so it exports to
ONNX as Pad + Conv. Latent -> data (sampling, and the tests' round trip) uses the parallel
wavefront inverse of models/flows (solve_causal), which the export does not need.

NLL is reported in bits per dimension of 8-bit data: x in [0, 1] (dequantised with uniform
noise of width 1/256 in training), -log p(x) + D log 256 nats, divided by D ln 2.
"""
import math
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "flows"))
import flows as fl  # noqa: E402

LOG2PI = math.log(2 * math.pi)


def _block(c, hidden, seed):
    return [fl.ActNorm(c), fl.CInCConv3x3(c, seed=seed), fl.QuadCoupling(c, hidden=hidden)]


class PatchFlow(nn.Module):
    def __init__(self, hidden1=48, hidden2=64, steps1=3, steps2=2):
        super().__init__()
        layers = [fl.Squeeze(2)]
        for i in range(steps1):
            layers += _block(12, hidden1, seed=i)
        layers.append(fl.Squeeze(2))
        for i in range(steps2):
            layers += _block(48, hidden2, seed=100 + i)
        layers.append(fl.ActNorm(48))
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        """x (B,3,16,16) in [0,1] -> (z, log|det dz/dx|)."""
        logdet = torch.zeros(x.shape[0], dtype=x.dtype, device=x.device)
        h = x - 0.5
        for layer in self.layers:
            h, ld = layer(h)
            logdet = logdet + ld
        return h, logdet

    def inverse(self, z):
        for layer in reversed(self.layers):
            z = layer.inverse(z)
        return z + 0.5

    def nll_bpd(self, x):
        """Per-patch negative log-likelihood in bits per dimension (8-bit data)."""
        z, logdet = self(x)
        d = x[0].numel()
        log_pz = -0.5 * (z.flatten(1) ** 2).sum(1) - 0.5 * d * LOG2PI
        nll = -(log_pz + logdet) + d * math.log(256.0)
        return nll / (d * math.log(2.0))

    def check_invertible(self):
        return all(m.check_invertible() for m in self.layers if isinstance(m, fl.MaskedConv))


def count_params(m):
    return sum(p.numel() for p in m.parameters() if p.requires_grad)
